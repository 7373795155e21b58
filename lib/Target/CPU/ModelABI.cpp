//===- ModelABI.cpp - the C ABI entry points of an AOT-compiled model -----===//
//
// Wraps the bare-pointer `main(in*..., out*...)` of a translated module in
// the entry points of ModelABI.h. Everything else the module defines becomes
// internal, so several models (each with its own prefix) link into one
// program without clashes, and the object has no `main` of its own.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/AOTCompiler.h"
#include "qopt/Target/CPU/ModelABI.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"

using namespace mlir;
using namespace mlir::qopt;

bool mlir::qopt::isValidSymbolPrefix(StringRef prefix) {
  if (prefix.empty() || prefix.size() > 200 ||
      !(llvm::isAlpha(prefix[0]) || prefix[0] == '_'))
    return false;
  return llvm::all_of(prefix, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

namespace {
/// Builds the metadata tables and entry points in one module.
class ABIBuilder {
public:
  ABIBuilder(llvm::Module &module, StringRef prefix)
      : module(module), ctx(module.getContext()), prefix(prefix.str()),
        i32(llvm::Type::getInt32Ty(ctx)), i64(llvm::Type::getInt64Ty(ctx)),
        ptr(llvm::PointerType::getUnqual(ctx)),
        infoType(llvm::StructType::get(ctx, {ptr, i32, i32, ptr})) {}

  /// A private constant array of qopt_tensor_info for `sigs`.
  llvm::GlobalVariable *infoTable(const std::vector<TensorSignature> &sigs,
                                  StringRef kind) {
    std::vector<llvm::Constant *> entries;
    for (size_t i = 0; i < sigs.size(); ++i) {
      const TensorSignature &sig = sigs[i];
      std::string base = prefix + "_" + kind.str() + std::to_string(i);
      llvm::Constant *name = llvm::ConstantDataArray::getString(ctx, sig.name);
      auto *nameVar = new llvm::GlobalVariable(
          module, name->getType(), /*isConstant=*/true,
          llvm::GlobalValue::PrivateLinkage, name, base + "_name");
      std::vector<int64_t> dims(sig.shape.begin(), sig.shape.end());
      llvm::Constant *shape =
          dims.empty() ? llvm::ConstantPointerNull::get(ptr) : nullptr;
      if (!dims.empty()) {
        llvm::Constant *data = llvm::ConstantDataArray::get(ctx, dims);
        shape = new llvm::GlobalVariable(module, data->getType(), true,
                                         llvm::GlobalValue::PrivateLinkage,
                                         data, base + "_shape");
      }
      entries.push_back(llvm::ConstantStruct::get(
          infoType, {nameVar, llvm::ConstantInt::get(i32, abiDTypeCode(sig.dtype)),
                     llvm::ConstantInt::get(i32, sig.shape.size()), shape}));
    }
    auto *arrayType = llvm::ArrayType::get(infoType, entries.size());
    return new llvm::GlobalVariable(
        module, arrayType, true, llvm::GlobalValue::PrivateLinkage,
        llvm::ConstantArray::get(arrayType, entries),
        prefix + "_" + kind.str() + "_info_table");
  }

  llvm::Function *define(StringRef suffix, llvm::Type *result,
                         ArrayRef<llvm::Type *> params) {
    auto *type = llvm::FunctionType::get(result, params, false);
    auto *fn = llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage,
                                      prefix + "_" + suffix.str(), module);
    fn->addFnAttr(llvm::Attribute::NoUnwind);
    return fn;
  }

  /// int PREFIX_NAME(void) { return value; }
  void constantGetter(StringRef suffix, int value) {
    llvm::Function *fn = define(suffix, i32, {});
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", fn));
    b.CreateRet(llvm::ConstantInt::get(i32, value));
  }

  /// const qopt_tensor_info *PREFIX_KIND_info(int i): NULL out of range.
  void infoGetter(StringRef suffix, llvm::GlobalVariable *table, size_t n) {
    llvm::Function *fn = define(suffix, ptr, {i32});
    auto *entry = llvm::BasicBlock::Create(ctx, "entry", fn);
    auto *found = llvm::BasicBlock::Create(ctx, "found", fn);
    auto *missing = llvm::BasicBlock::Create(ctx, "missing", fn);
    llvm::IRBuilder<> b(entry);
    llvm::Value *index = fn->getArg(0);
    // Unsigned comparison: negative indices are out of range too.
    b.CreateCondBr(b.CreateICmpULT(index, llvm::ConstantInt::get(i32, n)),
                   found, missing);
    b.SetInsertPoint(found);
    b.CreateRet(b.CreateInBoundsGEP(table->getValueType(), table,
                                    {llvm::ConstantInt::get(i64, 0),
                                     b.CreateZExt(index, i64)}));
    b.SetInsertPoint(missing);
    b.CreateRet(llvm::ConstantPointerNull::get(ptr));
  }

  /// int PREFIX_run(const void *const *inputs, void *const *outputs):
  /// checks for NULL, then calls the graph with the buffers in order.
  void run(llvm::Function *graph, size_t numInputs, size_t numOutputs) {
    llvm::Function *fn = define("run", i32, {ptr, ptr});
    auto *entry = llvm::BasicBlock::Create(ctx, "entry", fn);
    auto *fail = llvm::BasicBlock::Create(ctx, "null_argument", fn);
    llvm::IRBuilder<> b(entry);
    std::vector<llvm::Value *> args;
    auto loadAll = [&](llvm::Value *array, size_t n) {
      if (n == 0)
        return;
      auto *next = llvm::BasicBlock::Create(ctx, "", fn);
      b.CreateCondBr(b.CreateIsNull(array), fail, next);
      b.SetInsertPoint(next);
      for (size_t i = 0; i < n; ++i) {
        llvm::Value *slot = b.CreateConstInBoundsGEP1_64(ptr, array, i);
        llvm::Value *buffer = b.CreateLoad(ptr, slot);
        auto *ok = llvm::BasicBlock::Create(ctx, "", fn);
        b.CreateCondBr(b.CreateIsNull(buffer), fail, ok);
        b.SetInsertPoint(ok);
        args.push_back(buffer);
      }
    };
    loadAll(fn->getArg(0), numInputs);
    loadAll(fn->getArg(1), numOutputs);
    b.CreateCall(graph, args);
    b.CreateRet(llvm::ConstantInt::get(i32, 0));
    b.SetInsertPoint(fail);
    b.CreateRet(llvm::ConstantInt::get(i32, QOPT_ERR_NULL_ARGUMENT));
  }

  /// PREFIX_set/get_num_threads forward to the runtime linked in.
  void threads() {
    llvm::FunctionCallee set = module.getOrInsertFunction(
        "qopt_rt_set_num_threads",
        llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {i32}, false));
    llvm::Function *setFn =
        define("set_num_threads", llvm::Type::getVoidTy(ctx), {i32});
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", setFn));
    b.CreateCall(set, {setFn->getArg(0)});
    b.CreateRetVoid();

    llvm::FunctionCallee get = module.getOrInsertFunction(
        "qopt_rt_get_num_threads", llvm::FunctionType::get(i32, {}, false));
    llvm::Function *getFn = define("get_num_threads", i32, {});
    b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", getFn));
    b.CreateRet(b.CreateCall(get, {}));
  }

  llvm::Module &module;
  llvm::LLVMContext &ctx;
  std::string prefix;
  llvm::Type *i32, *i64;
  llvm::PointerType *ptr;
  llvm::StructType *infoType;
};
} // namespace

std::string mlir::qopt::addModelABI(llvm::Module &module, StringRef prefix,
                                    const std::vector<TensorSignature> &inputs,
                                    const std::vector<TensorSignature> &outputs) {
  if (!isValidSymbolPrefix(prefix))
    return "symbol prefix '" + prefix.str() + "' is not a C identifier";
  llvm::Function *graph = module.getFunction("main");
  if (!graph || graph->isDeclaration())
    return "the lowered module has no function 'main'";
  if (graph->arg_size() != inputs.size() + outputs.size() ||
      !graph->getReturnType()->isVoidTy())
    return "'main' does not have the bare-pointer signature "
           "main(in*..., out*...)";
  for (const TensorSignature &sig : llvm::concat<const TensorSignature>(inputs, outputs))
    if (abiDTypeCode(sig.dtype) < 0)
      return "tensor '" + sig.name + "' has dtype " + sig.dtype +
             ", which the C ABI cannot describe";

  // Internal first, so the names below cannot collide with the model's own.
  for (llvm::Function &fn : module.functions())
    if (!fn.isDeclaration())
      fn.setLinkage(llvm::GlobalValue::InternalLinkage);
  for (llvm::GlobalVariable &var : module.globals())
    if (!var.isDeclaration())
      var.setLinkage(llvm::GlobalValue::InternalLinkage);
  graph->setName(prefix + "_graph");

  ABIBuilder builder(module, prefix);
  for (StringRef name : {"abi_version", "num_inputs", "num_outputs",
                         "input_info", "output_info", "run", "set_num_threads",
                         "get_num_threads"})
    if (module.getNamedValue((prefix + "_" + name).str()))
      return "the model already defines " + (prefix + "_" + name).str();
  builder.constantGetter("abi_version", QOPT_ABI_VERSION);
  builder.constantGetter("num_inputs", inputs.size());
  builder.constantGetter("num_outputs", outputs.size());
  builder.infoGetter("input_info", builder.infoTable(inputs, "input"),
                     inputs.size());
  builder.infoGetter("output_info", builder.infoTable(outputs, "output"),
                     outputs.size());
  builder.run(graph, inputs.size(), outputs.size());
  builder.threads();
  return "";
}
