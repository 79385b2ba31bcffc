/*
 * libb2bcore — umbrella header: includes every public header.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_H
#define B2B_H

#include "b2b/common.h"
#include "b2b/version.h"
#include "b2b/error.h"
#include "b2b/alloc.h"
#include "b2b/ctx.h"
#include "b2b/money.h"
#include "b2b/currency.h"
#include "b2b/date.h"
#include "b2b/csv.h"
#include "b2b/json.h"
#include "b2b/book.h"
#include "b2b/snapshot.h"
#include "b2b/price.h"
#include "b2b/quote.h"
#include "b2b/quote_doc.h"
#include "b2b/order.h"
#include "b2b/lint.h"
#include "b2b/diff.h"

#endif /* B2B_H */
