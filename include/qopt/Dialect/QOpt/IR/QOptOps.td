//===- QOptOps.td - all qopt ops ------------------------------------------===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTOPS_TD
#define QOPT_DIALECT_QOPT_IR_QOPTOPS_TD

include "qopt/Dialect/QOpt/IR/QOptGraphOps.td"
include "qopt/Dialect/QOpt/IR/QOptQuantOps.td"
include "qopt/Dialect/QOpt/IR/QOptIntegerOps.td"

#endif // QOPT_DIALECT_QOPT_IR_QOPTOPS_TD
