#include "dlcore/models/recurrent.hpp"

#include "dlcore/core/error.hpp"
#include "dlcore/layers/flatten_steps.hpp"
#include "dlcore/layers/gru.hpp"
#include "dlcore/layers/last_step.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/layers/rnn.hpp"

namespace dl {

CellKind parse_cell(const std::string& name) {
  if (name == "rnn") return CellKind::rnn;
  if (name == "lstm") return CellKind::lstm;
  if (name == "gru") return CellKind::gru;
  throw ValueError("unknown recurrent cell '" + name + "': use rnn, lstm or gru");
}

std::string to_string(CellKind cell) {
  switch (cell) {
    case CellKind::rnn: return "rnn";
    case CellKind::lstm: return "lstm";
    case CellKind::gru: return "gru";
  }
  return "?";
}

template <class T>
void add_recurrent(Sequential<T>& net, CellKind cell, std::size_t d_in, std::size_t hidden, Rng& rng) {
  switch (cell) {
    case CellKind::rnn: net.add(RNN<T>(d_in, hidden, rng)); break;
    case CellKind::lstm: net.add(LSTM<T>(d_in, hidden, rng)); break;
    case CellKind::gru: net.add(GRU<T>(d_in, hidden, rng)); break;
  }
}

template <class T>
Sequential<T> sequence_to_one(CellKind cell, std::size_t d_in, std::size_t hidden,
                              std::size_t d_out, Rng& rng) {
  Sequential<T> net;
  add_recurrent(net, cell, d_in, hidden, rng);
  net.add(LastStep<T>{}).add(Linear<T>(hidden, d_out, rng, Init::lecun_uniform));
  return net;
}

template <class T>
Sequential<T> sequence_to_steps(CellKind cell, std::size_t d_in, std::size_t hidden,
                                std::size_t d_out, std::size_t k, Rng& rng) {
  Sequential<T> net;
  add_recurrent(net, cell, d_in, hidden, rng);
  net.add(FlattenSteps<T>(k)).add(Linear<T>(hidden, d_out, rng, Init::lecun_uniform));
  return net;
}

template <class T>
std::size_t set_forget_bias(Sequential<T>& net, T value) {
  std::size_t changed = 0;
  for (std::size_t i = 0; i < net.size(); ++i)
    if (auto* m = dynamic_cast<LayerModule<T, LSTM<T>>*>(&net.module(i))) {
      const std::size_t H = m->layer.hidden();
      for (std::size_t j = H; j < 2 * H; ++j) {  // gate order i, f, g, o
        m->layer.b_ih(j) = value;
        m->layer.b_hh(j) = T(0);
      }
      ++changed;
    }
  return changed;
}

#define DL_INSTANTIATE(T)                                                                       \
  template void add_recurrent<T>(Sequential<T>&, CellKind, std::size_t, std::size_t, Rng&);    \
  template Sequential<T> sequence_to_one<T>(CellKind, std::size_t, std::size_t, std::size_t,   \
                                            Rng&);                                             \
  template Sequential<T> sequence_to_steps<T>(CellKind, std::size_t, std::size_t, std::size_t, \
                                              std::size_t, Rng&);                              \
  template std::size_t set_forget_bias<T>(Sequential<T>&, T);
DL_INSTANTIATE(float)
DL_INSTANTIATE(double)
#undef DL_INSTANTIATE

}  // namespace dl
