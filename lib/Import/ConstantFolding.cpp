//===- ConstantFolding.cpp - evaluate constant ONNX nodes at import -------===//
//
// Static shapes are qopt's rule, so the shape-computing subgraphs exporters
// emit (Shape → Gather → Unsqueeze → Concat → Reshape, ConstantOfShape, ...)
// are evaluated here, on the host, whenever every input is a constant. So is
// arithmetic on constant weights. Nothing of it reaches the IR.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"
#include "NodeImporter.h"

#include "qopt/Dialect/QOpt/IR/ShapeUtils.h"

#include "llvm/ADT/StringSet.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;
using TP = onnx::TensorProto;

namespace {
using Dims = llvm::SmallVector<int64_t>;

int64_t product(llvm::ArrayRef<int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

/// Row-major strides of `dims`.
Dims stridesOf(llvm::ArrayRef<int64_t> dims) {
  Dims s(dims.size(), 1);
  for (int i = (int)dims.size() - 2; i >= 0; --i)
    s[i] = s[i + 1] * dims[i + 1];
  return s;
}

/// For each element of a tensor of shape `out`, the flat index of the element
/// of a tensor of shape `in` that numpy broadcasting maps to it.
std::vector<int64_t> broadcastIndices(llvm::ArrayRef<int64_t> in,
                                      llvm::ArrayRef<int64_t> out) {
  Dims inStrides = stridesOf(in);
  size_t offset = out.size() - in.size();
  std::vector<int64_t> result(product(out));
  Dims idx(out.size(), 0);
  for (int64_t flat = 0, n = result.size(); flat < n; ++flat) {
    int64_t src = 0;
    for (size_t d = 0; d < in.size(); ++d)
      if (in[d] != 1)
        src += idx[d + offset] * inStrides[d];
    result[flat] = src;
    for (int d = (int)out.size() - 1; d >= 0; --d) {
      if (++idx[d] < out[d])
        break;
      idx[d] = 0;
    }
  }
  return result;
}

/// A tensor whose elements are `src`'s at the given flat indices.
HostTensor gatherElements(const HostTensor &src, llvm::ArrayRef<int64_t> dims,
                          llvm::ArrayRef<int64_t> indices) {
  HostTensor t;
  t.dtype = src.dtype;
  t.dims.assign(dims.begin(), dims.end());
  size_t size = elementSize(src.dtype);
  t.raw.resize(indices.size() * size);
  for (size_t i = 0; i < indices.size(); ++i)
    std::memcpy(t.raw.data() + i * size, src.raw.data() + indices[i] * size,
                size);
  return t;
}

int64_t normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

/// Folding never materialises more elements than this (256 MiB of f32): a
/// broadcast or ConstantOfShape could otherwise exhaust memory.
constexpr int64_t kMaxFoldedElements = int64_t(1) << 26;

struct Folder {
  NodeImporter &ni;
  llvm::SmallVector<const HostTensor *> in;

  LogicalResult fail(const llvm::Twine &msg) { return ni.fail(msg); }

  /// Fails unless a folded result of shape `dims` is of a sensible size.
  LogicalResult checkSize(llvm::ArrayRef<int64_t> dims) {
    int64_t n = 1;
    for (int64_t d : dims) {
      if (d < 0 || (d > 0 && n > kMaxFoldedElements / d))
        return fail("constant folding would create more than 2^26 elements");
      n *= d;
    }
    return success();
  }

  FailureOr<bool> done(HostTensor t) {
    ni.setConstOutput(0, std::move(t));
    return true;
  }

  FailureOr<bool> binary(llvm::StringRef op) {
    const HostTensor &a = *in[0], &b = *in[1];
    auto shape = broadcastShapes(a.dims, b.dims);
    if (!shape)
      return fail("operand shapes do not broadcast");
    if (failed(checkSize(*shape)))
      return failure();
    auto ia = broadcastIndices(a.dims, *shape);
    auto ib = broadcastIndices(b.dims, *shape);
    bool compare = op == "Equal" || op == "Less" || op == "Greater";
    int32_t outType = compare ? (int32_t)TP::BOOL : a.dtype;
    if (a.isFloat() || b.isFloat()) {
      auto va = a.doubles(), vb = b.doubles();
      std::vector<double> r(ia.size());
      bool single = a.dtype == TP::FLOAT;
      for (size_t i = 0; i < r.size(); ++i) {
        double x = va[ia[i]], y = vb[ib[i]], v;
        if (op == "Add") v = x + y;
        else if (op == "Sub") v = x - y;
        else if (op == "Mul") v = x * y;
        else if (op == "Div") v = x / y;
        else if (op == "Mod") v = std::fmod(x, y); // ONNX: fmod=1 for floats
        else if (op == "Pow") v = std::pow(x, y);
        else if (op == "Max") v = std::max(x, y);
        else if (op == "Min") v = std::min(x, y);
        else if (op == "Equal") v = x == y;
        else if (op == "Less") v = x < y;
        else v = x > y;
        // Round each result to float as float arithmetic would.
        r[i] = single && !compare ? (double)(float)v : v;
      }
      return done(HostTensor::fromDoubles(outType, *shape, r));
    }
    auto va = a.ints(), vb = b.ints();
    std::vector<int64_t> r(ia.size());
    for (size_t i = 0; i < r.size(); ++i) {
      int64_t x = va[ia[i]], y = vb[ib[i]], v;
      if (op == "Add") v = (int64_t)((uint64_t)x + (uint64_t)y);
      else if (op == "Sub") v = (int64_t)((uint64_t)x - (uint64_t)y);
      else if (op == "Mul") v = (int64_t)((uint64_t)x * (uint64_t)y);
      else if (op == "Div") {
        if (y == 0 || (x == INT64_MIN && y == -1))
          return fail("integer division by zero or overflow in a constant");
        v = x / y;
      } else if (op == "Mod") {
        if (y == 0)
          return fail("integer modulo by zero in a constant");
        // fmod=1: the sign of the dividend (C's %); fmod=0 (the default):
        // the sign of the divisor, as Python's %.
        v = x == INT64_MIN && y == -1 ? 0 : x % y;
        if (!ni.attrInt("fmod", 0) && v != 0 && ((v < 0) != (y < 0)))
          v += y;
      } else if (op == "Pow") v = (int64_t)std::pow((double)x, (double)y);
      else if (op == "Max") v = std::max(x, y);
      else if (op == "Min") v = std::min(x, y);
      else if (op == "Equal") v = x == y;
      else if (op == "Less") v = x < y;
      else v = x > y;
      r[i] = v;
    }
    return done(HostTensor::fromInts(outType, *shape, r));
  }

  FailureOr<bool> unary(llvm::StringRef op) {
    const HostTensor &a = *in[0];
    auto v = a.doubles();
    for (double &x : v) {
      if (op == "Neg") x = -x;
      else if (op == "Sqrt") x = std::sqrt(x);
      else if (op == "Reciprocal") x = 1.0 / x;
      else if (op == "Abs") x = std::fabs(x);
    }
    if (a.isInteger())
      return done(HostTensor::fromInts(a.dtype, a.dims,
                                       std::vector<int64_t>(v.begin(), v.end())));
    return done(HostTensor::fromDoubles(a.dtype, a.dims, v));
  }

  FailureOr<bool> reshapeTo(Dims dims) {
    if (product(dims) != in[0]->numElements())
      return fail("cannot reshape " + llvm::Twine(in[0]->numElements()) +
                  " elements");
    HostTensor t = *in[0];
    t.dims = dims;
    return done(std::move(t));
  }

  FailureOr<bool> reshape() {
    auto shape = in[1]->ints();
    Dims dims;
    int64_t inferred = -1, known = 1;
    bool allowZero = ni.attrInt("allowzero", 0) != 0;
    for (size_t i = 0; i < shape.size(); ++i) {
      int64_t d = shape[i];
      if (d == 0 && !allowZero) {
        if (i >= in[0]->dims.size())
          return fail("shape entry 0 copies a dimension the input lacks");
        d = in[0]->dims[i];
      }
      if (d == -1) {
        if (inferred >= 0)
          return fail("shape has more than one -1");
        inferred = i;
        dims.push_back(1);
        continue;
      }
      if (d < 0)
        return fail("shape has the invalid entry " + llvm::Twine(d));
      known *= d;
      dims.push_back(d);
    }
    if (inferred >= 0) {
      if (known == 0 || in[0]->numElements() % known != 0)
        return fail("cannot infer the -1 dimension");
      dims[inferred] = in[0]->numElements() / known;
    }
    return reshapeTo(dims);
  }

  FailureOr<bool> unsqueeze(bool squeeze) {
    Dims dims(in[0]->dims);
    std::vector<int64_t> axes;
    if (ni.hasInput(1))
      axes = in[1]->ints();
    else if (auto a = ni.attrInts("axes"))
      axes.assign(a->begin(), a->end());
    if (squeeze) {
      if (axes.empty()) {
        Dims kept;
        for (int64_t d : dims)
          if (d != 1)
            kept.push_back(d);
        return reshapeTo(kept);
      }
      llvm::SmallVector<bool> drop(dims.size(), false);
      for (int64_t a : axes) {
        a = normalizeAxis(a, dims.size());
        if (a < 0 || a >= (int64_t)dims.size() || dims[a] != 1)
          return fail("cannot squeeze axis " + llvm::Twine(a));
        drop[a] = true;
      }
      Dims kept;
      for (size_t i = 0; i < dims.size(); ++i)
        if (!drop[i])
          kept.push_back(dims[i]);
      return reshapeTo(kept);
    }
    int64_t rank = dims.size() + axes.size();
    llvm::SmallVector<bool> isNew(rank, false);
    for (int64_t a : axes) {
      a = normalizeAxis(a, rank);
      if (a < 0 || a >= rank || isNew[a])
        return fail("invalid unsqueeze axis");
      isNew[a] = true;
    }
    Dims out;
    size_t j = 0;
    for (int64_t i = 0; i < rank; ++i)
      out.push_back(isNew[i] ? 1 : dims[j++]);
    return reshapeTo(out);
  }

  FailureOr<bool> concat() {
    int64_t rank = in[0]->dims.size();
    int64_t axis = normalizeAxis(ni.attrInt("axis", 0), rank);
    if (axis < 0 || axis >= rank)
      return fail("invalid concat axis");
    Dims dims(in[0]->dims);
    dims[axis] = 0;
    for (const HostTensor *t : in) {
      if ((int64_t)t->dims.size() != rank || t->dtype != in[0]->dtype)
        return fail("concat inputs differ in rank or type");
      dims[axis] += t->dims[axis];
    }
    HostTensor out;
    out.dtype = in[0]->dtype;
    out.dims = dims;
    size_t size = elementSize(out.dtype);
    int64_t outer = product(llvm::ArrayRef<int64_t>(dims).take_front(axis));
    for (int64_t o = 0; o < outer; ++o)
      for (const HostTensor *t : in) {
        int64_t chunk = product(llvm::ArrayRef<int64_t>(t->dims).drop_front(axis));
        out.raw.append(t->raw.data() + o * chunk * size, chunk * size);
      }
    return done(std::move(out));
  }

  FailureOr<bool> gather() {
    const HostTensor &data = *in[0];
    int64_t rank = data.dims.size();
    int64_t axis = normalizeAxis(ni.attrInt("axis", 0), rank);
    if (axis < 0 || axis >= rank)
      return fail("invalid gather axis");
    auto indices = in[1]->ints();
    Dims dims(data.dims.begin(), data.dims.begin() + axis);
    dims.append(in[1]->dims.begin(), in[1]->dims.end());
    dims.append(data.dims.begin() + axis + 1, data.dims.end());
    if (failed(checkSize(dims)))
      return failure();
    int64_t outer = product(llvm::ArrayRef<int64_t>(data.dims).take_front(axis));
    int64_t inner = product(llvm::ArrayRef<int64_t>(data.dims).drop_front(axis + 1));
    int64_t n = data.dims[axis];
    std::vector<int64_t> flat;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t idx : indices) {
        if (idx < -n || idx >= n)
          return fail("gather index " + llvm::Twine(idx) + " is out of range");
        if (idx < 0)
          idx += n;
        for (int64_t i = 0; i < inner; ++i)
          flat.push_back((o * n + idx) * inner + i);
      }
    return done(gatherElements(data, dims, flat));
  }

  FailureOr<bool> slice() {
    const HostTensor &data = *in[0];
    int64_t rank = data.dims.size();
    auto starts = in[1]->ints(), ends = in[2]->ints();
    std::vector<int64_t> axes, steps;
    if (ni.hasInput(3)) axes = in[3]->ints();
    else for (size_t i = 0; i < starts.size(); ++i) axes.push_back(i);
    if (ni.hasInput(4)) steps = in[4]->ints();
    else steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size() ||
        steps.size() != starts.size())
      return fail("starts, ends, axes and steps differ in length");
    Dims begin(rank, 0), step(rank, 1), dims(data.dims);
    for (size_t i = 0; i < axes.size(); ++i) {
      int64_t a = normalizeAxis(axes[i], rank);
      if (a < 0 || a >= rank || steps[i] == 0)
        return fail("invalid slice axis or zero step");
      int64_t dim = data.dims[a], s = starts[i], e = ends[i], st = steps[i];
      if (s < 0) s += dim;
      if (e < 0) e += dim;
      if (st > 0) {
        s = std::clamp<int64_t>(s, 0, dim);
        e = std::clamp<int64_t>(e, 0, dim);
      } else {
        s = std::clamp<int64_t>(s, -1, dim - 1);
        e = std::clamp<int64_t>(e, -1, dim - 1);
      }
      begin[a] = s;
      step[a] = st;
      dims[a] = sliceSize(s, e, st);
    }
    Dims inStrides = stridesOf(data.dims);
    std::vector<int64_t> flat(product(dims));
    Dims idx(rank, 0);
    for (size_t f = 0; f < flat.size(); ++f) {
      int64_t src = 0;
      for (int64_t d = 0; d < rank; ++d)
        src += (begin[d] + idx[d] * step[d]) * inStrides[d];
      flat[f] = src;
      for (int64_t d = rank - 1; d >= 0; --d) {
        if (++idx[d] < dims[d])
          break;
        idx[d] = 0;
      }
    }
    return done(gatherElements(data, dims, flat));
  }

  FailureOr<bool> transpose() {
    const HostTensor &data = *in[0];
    int64_t rank = data.dims.size();
    Dims perm;
    if (auto p = ni.attrInts("perm"))
      perm = *p;
    else
      for (int64_t i = rank - 1; i >= 0; --i)
        perm.push_back(i);
    if ((int64_t)perm.size() != rank)
      return fail("perm has the wrong length");
    Dims dims, inStrides = stridesOf(data.dims);
    for (int64_t p : perm) {
      if (p < 0 || p >= rank)
        return fail("invalid perm");
      dims.push_back(data.dims[p]);
    }
    std::vector<int64_t> flat(data.numElements());
    Dims idx(rank, 0);
    for (size_t f = 0; f < flat.size(); ++f) {
      int64_t src = 0;
      for (int64_t d = 0; d < rank; ++d)
        src += idx[d] * inStrides[perm[d]];
      flat[f] = src;
      for (int64_t d = rank - 1; d >= 0; --d) {
        if (++idx[d] < dims[d])
          break;
        idx[d] = 0;
      }
    }
    return done(gatherElements(data, dims, flat));
  }

  FailureOr<bool> expand() {
    auto shape = in[1]->ints();
    auto dims = broadcastShapes(in[0]->dims, Dims(shape.begin(), shape.end()));
    if (!dims)
      return fail("cannot expand to the given shape");
    if (failed(checkSize(*dims)))
      return failure();
    return done(gatherElements(*in[0], *dims,
                               broadcastIndices(in[0]->dims, *dims)));
  }

  FailureOr<bool> where() {
    auto s1 = broadcastShapes(in[0]->dims, in[1]->dims);
    auto shape = s1 ? broadcastShapes(*s1, in[2]->dims) : std::nullopt;
    if (!shape)
      return fail("operand shapes do not broadcast");
    auto cond = in[0]->ints();
    if (failed(checkSize(*shape)))
      return failure();
    auto ic = broadcastIndices(in[0]->dims, *shape);
    auto ix = broadcastIndices(in[1]->dims, *shape);
    auto iy = broadcastIndices(in[2]->dims, *shape);
    HostTensor out;
    out.dtype = in[1]->dtype;
    out.dims = *shape;
    size_t size = elementSize(out.dtype);
    out.raw.resize(ic.size() * size);
    for (size_t i = 0; i < ic.size(); ++i) {
      const HostTensor &src = cond[ic[i]] ? *in[1] : *in[2];
      int64_t j = cond[ic[i]] ? ix[i] : iy[i];
      std::memcpy(out.raw.data() + i * size, src.raw.data() + j * size, size);
    }
    return done(std::move(out));
  }

  FailureOr<bool> cast() {
    int32_t to = ni.attrInt("to", 0);
    if (elementSize(to) == 0)
      return fail("cannot cast to " + dtypeName(to));
    if (in[0]->isFloat())
      return done(HostTensor::fromDoubles(to, in[0]->dims, in[0]->doubles()));
    return done(HostTensor::fromInts(to, in[0]->dims, in[0]->ints()));
  }

  FailureOr<bool> constantOfShape() {
    auto shape = in[0]->ints();
    Dims dims(shape.begin(), shape.end());
    for (int64_t d : dims)
      if (d < 0)
        return fail("negative dimension in ConstantOfShape");
    if (failed(checkSize(dims)))
      return failure();
    HostTensor value = HostTensor::fromDoubles(TP::FLOAT, {1}, {0.0});
    if (const auto *a = ni.attr("value")) {
      std::string why;
      if (!readTensorProto(a->t(), value, why) || value.numElements() != 1)
        return fail("the 'value' attribute " +
                    (why.empty() ? std::string("must have one element") : why));
    }
    std::vector<int64_t> zeros(product(dims), 0);
    return done(gatherElements(value, dims, zeros));
  }

  FailureOr<bool> range() {
    if (in[0]->numElements() != 1 || in[1]->numElements() != 1 ||
        in[2]->numElements() != 1)
      return fail("Range takes scalars");
    double start = in[0]->doubles()[0], limit = in[1]->doubles()[0],
           delta = in[2]->doubles()[0];
    if (delta == 0)
      return fail("Range with delta 0");
    double count = std::ceil((limit - start) / delta);
    if (!(count < (1 << 24)))
      return fail("Range of more than 2^24 elements");
    std::vector<double> v;
    for (int64_t i = 0; i < (int64_t)std::max(0.0, count); ++i)
      v.push_back(start + i * delta);
    return done(HostTensor::fromDoubles(in[0]->dtype, {(int64_t)v.size()}, v));
  }
};

FailureOr<bool> foldConstantNode(NodeImporter &ni) {
  HostTensor t;
  std::string why;
  if (const auto *a = ni.attr("value")) {
    if (!readTensorProto(a->t(), t, why))
      return ni.fail("the 'value' attribute " + why);
  } else if (const auto *a = ni.attr("value_float")) {
    t = HostTensor::fromDoubles(TP::FLOAT, {}, {a->f()});
  } else if (const auto *a = ni.attr("value_floats")) {
    std::vector<double> v(a->floats().begin(), a->floats().end());
    t = HostTensor::fromDoubles(TP::FLOAT, {(int64_t)v.size()}, v);
  } else if (const auto *a = ni.attr("value_int")) {
    t = HostTensor::fromInts(TP::INT64, {}, {a->i()});
  } else if (const auto *a = ni.attr("value_ints")) {
    std::vector<int64_t> v(a->ints().begin(), a->ints().end());
    t = HostTensor::fromInts(TP::INT64, {(int64_t)v.size()}, v);
  } else {
    return ni.fail("only tensor, float and int constants are supported");
  }
  ni.setConstOutput(0, std::move(t));
  return true;
}
} // namespace

bool mlir::qopt::onnx_import::isFoldableOpType(llvm::StringRef op) {
  static const llvm::StringSet<> ops = {
      "Identity", "Cast", "Add", "Sub", "Mul", "Div", "Mod", "Pow", "Max", "Min",
      "Equal", "Less", "Greater", "Neg", "Sqrt", "Reciprocal", "Abs",
      "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Concat", "Gather",
      "Slice", "Transpose", "Expand", "Where", "ConstantOfShape", "Range"};
  return ops.contains(op);
}

FailureOr<bool> mlir::qopt::onnx_import::tryFoldNode(NodeImporter &ni) {
  llvm::StringRef op = ni.node.op_type();
  if (op == "Constant")
    return foldConstantNode(ni);
  if (op == "Shape" || op == "Size") {
    auto type = ni.inputType(0);
    if (failed(type))
      return failure();
    auto shape = type->getShape();
    if (op == "Size")
      return (ni.setConstOutput(0, HostTensor::fromInts(TP::INT64, {},
                                                        {product(shape)})),
              true);
    int64_t rank = shape.size();
    int64_t start = std::clamp<int64_t>(normalizeAxis(ni.attrInt("start", 0), rank), 0, rank);
    int64_t end = std::clamp<int64_t>(normalizeAxis(ni.attrInt("end", rank), rank), 0, rank);
    std::vector<int64_t> dims(shape.begin() + start,
                              shape.begin() + std::max(start, end));
    ni.setConstOutput(0, HostTensor::fromInts(TP::INT64, {(int64_t)dims.size()},
                                              dims));
    return true;
  }
  if (!isFoldableOpType(op) || ni.numInputs() == 0 || !ni.allInputsConstant() ||
      ni.numOutputs() != 1)
    return false;

  Folder f{ni, {}};
  for (unsigned i = 0; i < ni.numInputs(); ++i) {
    const HostTensor *t = ni.constInput(i);
    // Large constant arithmetic stays in the graph rather than slowing import.
    if (t && t->numElements() > (int64_t(1) << 22))
      return false;
    f.in.push_back(t);
  }
  if (!f.in[0])
    return false;
  auto required = [&](unsigned n) { return f.in.size() >= n &&
      llvm::all_of(llvm::ArrayRef(f.in).take_front(n),
                   [](const HostTensor *t) { return t != nullptr; }); };

  if (op == "Identity") return f.done(*f.in[0]);
  if (op == "Cast") return f.cast();
  if (op == "Neg" || op == "Sqrt" || op == "Reciprocal" || op == "Abs")
    return f.unary(op);
  if (op == "Max" || op == "Min") {
    if (f.in.size() == 1)
      return f.done(*f.in[0]);
    if (f.in.size() != 2)
      return false;
  }
  if (op == "Mod" && (f.in[0]->isFloat() || (f.in.size() > 1 && f.in[1] &&
                                               f.in[1]->isFloat())) &&
      !ni.attrInt("fmod", 0))
    return ni.fail("Mod of floating-point tensors needs fmod=1");
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Pow" ||
      op == "Mod" || op == "Max" || op == "Min" || op == "Equal" ||
      op == "Less" || op == "Greater")
    return required(2) ? f.binary(op) : FailureOr<bool>(false);
  if (op == "Reshape") return required(2) ? f.reshape() : FailureOr<bool>(false);
  if (op == "Flatten") {
    int64_t rank = f.in[0]->dims.size();
    int64_t axis = normalizeAxis(ni.attrInt("axis", 1), rank);
    if (axis < 0 || axis > rank)
      return ni.fail("invalid flatten axis");
    auto dims = llvm::ArrayRef<int64_t>(f.in[0]->dims);
    return f.reshapeTo({product(dims.take_front(axis)),
                        product(dims.drop_front(axis))});
  }
  if (op == "Squeeze") return f.unsqueeze(true);
  if (op == "Unsqueeze") return f.unsqueeze(false);
  if (op == "Concat") return f.concat();
  if (op == "Gather") return required(2) ? f.gather() : FailureOr<bool>(false);
  if (op == "Slice") return required(3) ? f.slice() : FailureOr<bool>(false);
  if (op == "Transpose") return f.transpose();
  if (op == "Expand") return required(2) ? f.expand() : FailureOr<bool>(false);
  if (op == "Where") return required(3) ? f.where() : FailureOr<bool>(false);
  if (op == "ConstantOfShape") return f.constantOfShape();
  if (op == "Range") return required(3) ? f.range() : FailureOr<bool>(false);
  return false;
}
