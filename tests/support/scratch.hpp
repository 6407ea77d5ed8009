#pragma once
// A fresh, empty directory under the build's test-out folder for a test's files.

#include <filesystem>
#include <string>

namespace testing {

/// TEST_OUT/AREA/NAME, emptied and created.
inline std::filesystem::path scratch_dir(const std::string& area, const std::string& name) {
  const auto d = std::filesystem::path(DLBOOK_TEST_OUT) / area / name;
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

}  // namespace testing
