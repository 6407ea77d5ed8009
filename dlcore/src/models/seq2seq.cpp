#include "dlcore/models/seq2seq.hpp"

#include <fmt/format.h>

#include "dlcore/core/check.hpp"
#include "dlcore/core/error.hpp"
#include "dlcore/core/rows.hpp"

namespace dl {

AttentionKind parse_attention(const std::string& name) {
  if (name == "none") return AttentionKind::none;
  if (name == "additive") return AttentionKind::additive;
  if (name == "dot") return AttentionKind::dot;
  throw ValueError("unknown attention '" + name + "': use none, additive or dot");
}

std::string to_string(AttentionKind kind) {
  switch (kind) {
    case AttentionKind::none: return "none";
    case AttentionKind::additive: return "additive";
    case AttentionKind::dot: return "dot";
  }
  return "?";
}

namespace {

// A sequence batch (T, N, D) as the matrix of its rows (T N, D), and back: the same memory
// order, so these are copies without any reordering.
template <class T>
Tensor2<T> as_rows(const Tensor3<T>& x) {
  Tensor2<T> r = Tensor2<T>::from_shape({x.shape(0) * x.shape(1), x.shape(2)});
  std::copy(x.begin(), x.end(), r.begin());
  return r;
}
template <class T>
Tensor3<T> as_steps(const Tensor2<T>& r, std::size_t steps, std::size_t batch) {
  Tensor3<T> x = Tensor3<T>::from_shape({steps, batch, r.shape(1)});
  std::copy(r.begin(), r.end(), x.begin());
  return x;
}

// [A B] column-wise for two (R, H) blocks, and the split back.
template <class T>
Tensor2<T> concat_cols(const Tensor3<T>& a, const Tensor3<T>& b) {
  const std::size_t R = a.shape(0) * a.shape(1), H = a.shape(2);
  Tensor2<T> c = Tensor2<T>::from_shape({R, 2 * H});
  for (std::size_t r = 0; r < R; ++r) {
    std::copy(a.data() + r * H, a.data() + (r + 1) * H, c.data() + r * 2 * H);
    std::copy(b.data() + r * H, b.data() + (r + 1) * H, c.data() + r * 2 * H + H);
  }
  return c;
}
template <class T>
Tensor3<T> cols(const Tensor2<T>& c, std::size_t from, std::size_t H, std::size_t steps, std::size_t batch) {
  Tensor3<T> x = Tensor3<T>::from_shape({steps, batch, H});
  const std::size_t W = c.shape(1);
  for (std::size_t r = 0; r < steps * batch; ++r)
    std::copy(c.data() + r * W + from, c.data() + r * W + from + H, x.data() + r * H);
  return x;
}

template <class T>
void add_into(Tensor3<T>& a, const Tensor3<T>& b) {
  for (std::size_t i = 0; i < a.size(); ++i) a.data()[i] += b.data()[i];
}

const Lengths* or_null(const Lengths& l) { return l.empty() ? nullptr : &l; }

}  // namespace

template <class T>
Seq2Seq<T>::Seq2Seq(AttentionKind k, const Seq2SeqSizes& s, Rng& rng)
    : kind(k),
      src_embed(s.src_vocab, s.embed, rng),
      tgt_embed(s.tgt_vocab, s.embed, rng),
      encoder(s.embed, s.hidden, rng),
      decoder(s.embed, s.hidden, rng) {
  src_embed.input_grad = tgt_embed.input_grad = false;  // ids have no gradient
  if (kind == AttentionKind::additive) additive = AdditiveAttention<T>(s.hidden, s.hidden, s.attn, rng);
  if (kind == AttentionKind::dot) {
    query_proj = Linear<T>(s.hidden, s.attn, rng, Init::lecun_uniform);
    key_proj = Linear<T>(s.hidden, s.attn, rng, Init::lecun_uniform);
  }
  out = Linear<T>(kind == AttentionKind::none ? s.hidden : 2 * s.hidden, s.tgt_vocab, rng, Init::lecun_uniform);
}

template <class T>
Tensor2<T> Seq2Seq<T>::forward(const Tensor2<T>& src, const Lengths& src_lengths, const Tensor2<T>& tgt_in,
                               const Lengths& tgt_lengths, Cache& cache) const {
  if (src.shape(0) != tgt_in.shape(0))
    throw ShapeError(fmt::format("{}: source ids have shape {} but target ids have shape {} (batches differ)",
                                 describe(), shape_str(src.shape()), shape_str(tgt_in.shape())));
  const std::size_t N = src.shape(0), Tt = tgt_in.shape(1);
  cache.src_lengths = src_lengths;
  cache.steps = Tt;
  cache.batch = N;
  //! [seq2seq_forward]
  // Encoder: h_1 ... h_S, and its final state h_S (each sequence's own last step)
  const Tensor3<T> xs = src_embed.forward(src, cache.src_embed);
  cache.enc_states = encoder.run(xs, {}, or_null(src_lengths), cache.encoder);
  // Decoder: starts from h_S, reads the target shifted by one (teacher forcing): s_1 ... s_Tt
  const Tensor3<T> xt = tgt_embed.forward(tgt_in, cache.tgt_embed);
  const Tensor3<T> s = decoder.run(xt, cache.encoder.final_state(), or_null(tgt_lengths), cache.decoder);
  if (kind == AttentionKind::none) return out.forward(as_rows(s), cache.out);  // W_o s_t + b_o
  // Attention: c_t = sum_s alpha_ts h_s with alpha_t from s_t against every h_s
  Tensor3<T> c;
  if (kind == AttentionKind::additive) {
    c = additive.forward(s, cache.enc_states, cache.enc_states, or_null(src_lengths), cache.additive);
  } else {  // q_t = s_t W_q, k_s = h_s W_k, then softmax(q k^T / sqrt(A)) h
    const Tensor3<T> q = as_steps(query_proj.forward(as_rows(s), cache.query_proj), Tt, N);
    const Tensor3<T> k = as_steps(key_proj.forward(as_rows(cache.enc_states), cache.key_proj),
                                  cache.enc_states.shape(0), N);
    c = dot.forward(q, k, cache.enc_states, or_null(src_lengths), cache.dot);
  }
  return out.forward(concat_cols(s, c), cache.out);  // W_o [s_t; c_t] + b_o
  //! [seq2seq_forward]
}

template <class T>
void Seq2Seq<T>::backward(const Tensor2<T>& dlogits, const Cache& cache) {
  if (cache.steps == 0) throw ValueError(describe() + ": backward called before forward");
  const std::size_t Tt = cache.steps, N = cache.batch, H = hidden();
  //! [seq2seq_backward]
  const Tensor2<T> dfeat = out.backward(dlogits, cache.out);
  Tensor3<T> ds = cols(dfeat, 0, H, Tt, N);  // dL/ds_t through W_o
  Tensor3<T> denc = xt::zeros<T>(cache.enc_states.shape());  // dL/dh_s through the attention
  if (kind != AttentionKind::none) {
    const Tensor3<T> dc = cols(dfeat, H, H, Tt, N);  // dL/dc_t
    if (kind == AttentionKind::additive) {
      const AttentionGrads<T> g = additive.backward(dc, cache.additive);
      add_into(ds, g.dq);  // s_t is the query
      add_into(denc, g.dk);  // h_s is both key ...
      add_into(denc, g.dv);  // ... and value
    } else {
      const AttentionGrads<T> g = dot.backward(dc, cache.dot);
      add_into(ds, as_steps(query_proj.backward(as_rows(g.dq), cache.query_proj), Tt, N));
      add_into(denc, as_steps(key_proj.backward(as_rows(g.dk), cache.key_proj), denc.shape(0), N));
      add_into(denc, g.dv);
    }
  }
  // Back through the decoder; its initial state was the encoder's final state
  const RecurrentGrads<T> gd = decoder.backward_full(ds, {}, cache.decoder);
  tgt_embed.backward(gd.dx, cache.tgt_embed);
  const RecurrentGrads<T> ge = encoder.backward_full(denc, {gd.dh0, {}}, cache.encoder);
  src_embed.backward(ge.dx, cache.src_embed);
  //! [seq2seq_backward]
}

template <class T>
Tensor2<T> Seq2Seq<T>::greedy(const Tensor2<T>& src, const Lengths& src_lengths, std::size_t steps,
                              std::size_t start_id, Tensor3<T>* weights) const {
  const std::size_t N = src.shape(0), S = src.shape(1);
  if (steps == 0) throw ValueError(describe() + ": greedy decoding needs at least one step");
  Cache c;
  const Tensor3<T> xs = src_embed.forward(src, c.src_embed);
  const Tensor3<T> enc = encoder.run(xs, {}, or_null(src_lengths), c.encoder);
  RecurrentState<T> state = c.encoder.final_state();
  Tensor3<T> keys;
  if (kind == AttentionKind::dot) keys = as_steps(key_proj.forward(as_rows(enc), c.key_proj), S, N);
  Tensor2<T> prev = Tensor2<T>::from_shape({N, 1}), ids = Tensor2<T>::from_shape({N, steps});
  prev.fill(T(start_id));
  if (weights) *weights = xt::zeros<T>({N, steps, S});
  for (std::size_t t = 0; t < steps; ++t) {
    typename Embedding<T>::Cache ec;
    typename GRU<T>::Cache dc;
    const Tensor3<T> s = decoder.run(tgt_embed.forward(prev, ec), state, nullptr, dc);  // (1, N, H)
    state = dc.final_state();
    Tensor2<T> logits;
    typename Linear<T>::Cache lc;
    const Tensor3<T>* a = nullptr;
    if (kind == AttentionKind::none) {
      logits = out.forward(as_rows(s), lc);
    } else if (kind == AttentionKind::additive) {
      logits = out.forward(concat_cols(s, additive.forward(s, enc, enc, or_null(src_lengths), c.additive)), lc);
      a = &c.additive.a;
    } else {
      const Tensor3<T> q = as_steps(query_proj.forward(as_rows(s), c.query_proj), 1, N);
      logits = out.forward(concat_cols(s, dot.forward(q, keys, enc, or_null(src_lengths), c.dot)), lc);
      a = &c.dot.a;
    }
    const Labels best = argmax_rows(logits);
    for (std::size_t n = 0; n < N; ++n) {
      prev(n, 0) = ids(n, t) = T(best(n));
      if (weights && a) std::copy(a->data() + n * S, a->data() + (n + 1) * S, &(*weights)(n, t, 0));
    }
  }
  return ids;
}

template <class T>
std::vector<ParamRef<T>> Seq2Seq<T>::params() {
  std::vector<ParamRef<T>> ps;
  auto add = [&](const std::string& prefix, std::vector<ParamRef<T>> sub) {
    for (auto& p : sub) {
      p.name = prefix + "." + p.name;
      ps.push_back(std::move(p));
    }
  };
  add("src_embed", src_embed.params());
  add("tgt_embed", tgt_embed.params());
  add("encoder", encoder.params());
  add("decoder", decoder.params());
  if (kind == AttentionKind::additive) add("attention", additive.params());
  if (kind == AttentionKind::dot) {
    add("query_proj", query_proj.params());
    add("key_proj", key_proj.params());
  }
  add("out", out.params());
  return ps;
}

template <class T>
std::size_t Seq2Seq<T>::num_params() {
  return count_params(params());
}

template <class T>
std::string Seq2Seq<T>::describe() const {
  return fmt::format("Seq2Seq(GRU {}, attention {})", encoder.W_hh.size() ? encoder.hidden() : 0, to_string(kind));
}

template struct Seq2Seq<float>;
template struct Seq2Seq<double>;

}  // namespace dl
