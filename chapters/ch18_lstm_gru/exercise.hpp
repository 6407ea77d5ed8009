#pragma once
/// \file
/// Chapter 18 exercise: one LSTM step backward.
/// Statement: @ref ch18_lstm_gru "Chapter 18, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch18_lstm_gru_test.cpp) check your answer when built with
/// -DDLBOOK_EXERCISES=mine.

#include <vector>

namespace ch18 {

/// Backward through one LSTM step for one sequence with H hidden units.
///
/// Forward was \f$ i, f, o = \sigma(a^{i,f,o}) \f$, \f$ g = \tanh a^g \f$,
/// \f$ c_t = f c_{t-1} + i g \f$, \f$ h_t = o \tanh c_t \f$.
/// Given: `gates` = [i f g o] (4H values, the activations), `c_prev` = \f$ c_{t-1} \f$,
/// `tanh_c` = \f$ \tanh c_t \f$, `dh` = \f$ \partial L/\partial h_t \f$ and `dc_next` =
/// \f$ \partial L/\partial c_t \f$ as it arrives from step t+1 (not yet including the path
/// through \f$ h_t \f$).
/// Compute: `da` (4H) = \f$ \partial L/\partial [a^i a^f a^g a^o] \f$ and `dc_prev` (H) =
/// \f$ \partial L/\partial c_{t-1} \f$. Both outputs are already sized.
void lstm_step_backward(const std::vector<double>& gates, const std::vector<double>& c_prev,
                        const std::vector<double>& tanh_c, const std::vector<double>& dh,
                        const std::vector<double>& dc_next, std::vector<double>& da,
                        std::vector<double>& dc_prev);

}  // namespace ch18
