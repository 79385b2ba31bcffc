/*
 * libb2bcore — the tables of a book (SPEC §3) for the book builder: each
 * table's columns (name, type, range, required), and the checks of one
 * row against its table's rules (§3, §9: ranges, unused and required
 * columns, windows) that fill its record. The builder API is in
 * book_builder.c, cells are parsed in book_cells.c.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "book_builder.h"

/*===========================================================================
 * MARK: - Column specifications
 *===========================================================================*/


#define IMIN INT64_MIN
#define IMAX INT64_MAX
#define KEY(n, r) { n, B2B__FT_KEY, r, 0, NULL, 0, 0 }
#define TEXT(n) { n, B2B__FT_TEXT, 0, 0, NULL, 0, 0 }
#define DEC(n, r, rg) { n, B2B__FT_DEC, r, rg, NULL, 0, 0 }
#define INT(n, r, lo, hi) { n, B2B__FT_INT, r, 0, NULL, lo, hi }
#define DATE(n) { n, B2B__FT_DATE, 0, 0, NULL, 0, 0 }
#define ENUM(n, r, v) { n, B2B__FT_ENUM, r, 0, v, 0, 0 }
#define TYPED(n, t, r) { n, t, r, 0, NULL, 0, 0 }

static const char *const e_status[] = { "active", "inactive", NULL };
static const char *const e_tier[] = { "all_units", "incremental", "block", NULL };
static const char *const e_compute[] = { "fixed", "discount", "formula", NULL };
static const char *const e_policy[] = { "override", "best", NULL };
static const char *const e_bool[] = { "0", "1", NULL };
static const char *const e_signal[] = { "stock_days", "demand_ratio", "competitor",
	                                "cost_plus", NULL };
static const char *const e_kind[] = { "percent", "amount", "fixed_price", "buy_x_get_y",
	                              "order_percent", "order_amount", NULL };
static const char *const e_stacking[] = { "stackable", "exclusive", NULL };
static const char *const e_metric[] = { "line_discount_percent", "quote_discount_percent",
	                                "quote_margin_percent_below", "quote_total_above",
	                                NULL };
static const char *const e_basis[] = { "qty", "amount", NULL };
static const char *const e_va_kind[] = { "discount", "rebate", NULL };
static const char *const e_tax_rounding[] = { "line", "document", NULL };
static const char *const e_rounding[] = { "half_up", "half_even", "half_down", "up", "down",
	                                  "ceiling", "floor", NULL };

static const b2b__colspec c_settings[] = {
	KEY("key", 1), { "value", B2B__FT_TEXT, 1, 0, NULL, 0, 0 },
};
static const b2b__colspec c_currencies[] = {
	TYPED("code", B2B__FT_CCY, 1), INT("minor_units", 1, 0, 9), DEC("cash_increment", 0, B2B__R_GT0),
};
static const b2b__colspec c_fx[] = {
	TYPED("from", B2B__FT_CCY, 1), TYPED("to", B2B__FT_CCY, 1), DEC("rate", 1, B2B__R_GT0),
	DATE("valid_from"),
};
static const b2b__colspec c_products[] = {
	KEY("sku", 1), DEC("list_price", 1, B2B__R_GE0), TEXT("name"),
	TYPED("category", B2B__FT_CATEGORY, 0), KEY("uom", 0), TYPED("currency", B2B__FT_CCY, 0),
	DEC("cost", 0, B2B__R_GE0), DEC("pack_size", 0, B2B__R_GT0), DEC("min_qty", 0, B2B__R_GE0),
	DEC("max_qty", 0, B2B__R_GT0), ENUM("status", 0, e_status), KEY("tax_class", 0),
	DEC("on_hand", 0, B2B__R_GE0), DEC("daily_demand", 0, B2B__R_GE0),
	DEC("baseline_demand", 0, B2B__R_GE0), DEC("competitor_price", 0, B2B__R_GE0),
	DEC("prev_price", 0, B2B__R_GE0),
};
static const b2b__colspec c_customers[] = {
	KEY("id", 1), TEXT("name"), KEY("segment", 0), KEY("channel", 0),
	TYPED("currency", B2B__FT_CCY, 0), TYPED("price_lists", B2B__FT_LISTREFS, 0),
	TYPED("catalog", B2B__FT_SCOPES, 0), DEC("credit_limit", 0, B2B__R_GE0),
	DEC("open_balance", 0, B2B__R_ANY), TYPED("payment_terms", B2B__FT_KEYLIST, 0),
	TYPED("regions", B2B__FT_KEYLIST, 0), DEC("min_order_value", 0, B2B__R_GE0),
	DEC("budget", 0, B2B__R_GE0),
};
static const b2b__colspec c_lists[] = {
	KEY("id", 1), TYPED("currency", B2B__FT_CCY, 0), INT("priority", 0, IMIN, IMAX),
	DATE("valid_from"), DATE("valid_until"), KEY("parent", 0),
	TYPED("applies_to", B2B__FT_APPLIES, 0), ENUM("tier_mode", 0, e_tier),
};
static const b2b__colspec c_items[] = {
	KEY("list", 1), TYPED("scope", B2B__FT_SCOPE, 1), DEC("min_qty", 0, B2B__R_GE0),
	DATE("valid_from"), DATE("valid_until"), ENUM("compute", 1, e_compute),
	DEC("price", 0, B2B__R_GE0), DEC("discount_percent", 0, B2B__R_LE100),
	TYPED("base", B2B__FT_BASE, 0), DEC("surcharge", 0, B2B__R_ANY), DEC("round_to", 0, B2B__R_GT0),
	DEC("min_margin", 0, B2B__R_ANY), DEC("max_margin", 0, B2B__R_ANY),
};
static const b2b__colspec c_contracts[] = {
	KEY("id", 1), KEY("customer", 1), TYPED("currency", B2B__FT_CCY, 0), DATE("valid_from"),
	DATE("valid_until"), ENUM("policy", 0, e_policy), ENUM("allow_promotions", 0, e_bool),
};
static const b2b__colspec c_citems[] = {
	KEY("contract", 1), TYPED("scope", B2B__FT_SCOPE, 1), DEC("min_qty", 0, B2B__R_GE0),
	DEC("price", 0, B2B__R_GE0), DEC("discount_percent", 0, B2B__R_LE100),
};
static const b2b__colspec c_rules[] = {
	KEY("id", 1), TYPED("scope", B2B__FT_SCOPE, 1), ENUM("signal", 1, e_signal),
	INT("priority", 0, IMIN, IMAX), DATE("valid_from"), DATE("valid_until"),
	TYPED("points", B2B__FT_POINTS, 0), DEC("markup_percent", 0, B2B__R_ANY),
	DEC("offset_percent", 0, B2B__R_ANY), DEC("min_factor", 0, B2B__R_GE0),
	DEC("max_factor", 0, B2B__R_GE0), DEC("max_change_percent", 0, B2B__R_GE0),
	DEC("price_step", 0, B2B__R_GT0),
};
static const b2b__colspec c_promos[] = {
	KEY("id", 1), ENUM("kind", 1, e_kind), DEC("value", 0, B2B__R_ANY),
	TYPED("scope", B2B__FT_SCOPE, 0), KEY("segment", 0), KEY("code", 0), DATE("valid_from"),
	DATE("valid_until"), INT("priority", 0, IMIN, IMAX), ENUM("stacking", 0, e_stacking),
	INT("buy_qty", 0, 1, IMAX), INT("get_qty", 0, 1, IMAX), DEC("min_subtotal", 0, B2B__R_GE0),
};
static const b2b__colspec c_taxes[] = {
	KEY("tax_class", 1), KEY("region", 1), DEC("rate_percent", 1, B2B__R_GE0),
};
static const b2b__colspec c_approvals[] = {
	KEY("id", 1), ENUM("metric", 1, e_metric), DEC("threshold", 1, B2B__R_ANY),
	INT("level", 1, 1, 9),
};
static const b2b__colspec c_agreements[] = {
	KEY("id", 1), TYPED("party", B2B__FT_PARTY, 1), TYPED("scope", B2B__FT_SCOPE, 1),
	ENUM("basis", 1, e_basis), ENUM("kind", 1, e_va_kind), TYPED("tiers", B2B__FT_TIERS, 1),
	TYPED("currency", B2B__FT_CCY, 0), DATE("valid_from"), DATE("valid_until"),
};
static const b2b__colspec c_cvolumes[] = {
	KEY("customer", 1), KEY("agreement", 1), DEC("volume", 1, B2B__R_GE0),
};

#define TAB(c) { c, sizeof(c) / sizeof((c)[0]) }
const b2b__tabspec b2b__bb_tables[B2B_TABLE_COUNT] = {
	TAB(c_settings), TAB(c_currencies), TAB(c_fx), TAB(c_products), TAB(c_customers),
	TAB(c_lists), TAB(c_items), TAB(c_contracts), TAB(c_citems), TAB(c_rules),
	TAB(c_promos), TAB(c_taxes), TAB(c_approvals), TAB(c_agreements), TAB(c_cvolumes),
};

/* Record size of each table's rows. */
static const size_t row_size[B2B_TABLE_COUNT] = {
	sizeof(b2b__setting_row), sizeof(b2b__currency), sizeof(b2b__fx),
	sizeof(b2b__product), sizeof(b2b__customer), sizeof(b2b__list), sizeof(b2b__item),
	sizeof(b2b__contract), sizeof(b2b__item), sizeof(b2b__rule), sizeof(b2b__promo),
	sizeof(b2b__tax), sizeof(b2b__approval), sizeof(b2b__agreement), sizeof(b2b__cvolume),
};

static const char *const setting_keys[B2B__SET_COUNT + 1] = {
	"base_currency", "rounding_mode", "unit_price_decimals", "tax_rounding",
	"max_discount_percent", "min_margin_percent", "price_tolerance", "quote_validity_days",
	NULL
};

/* The value column of each setting, as a column of its own. */
static const b2b__colspec setting_specs[B2B__SET_COUNT] = {
	TYPED("base_currency", B2B__FT_CCY, 1), ENUM("rounding_mode", 1, e_rounding),
	INT("unit_price_decimals", 1, 0, 9), ENUM("tax_rounding", 1, e_tax_rounding),
	DEC("max_discount_percent", 1, B2B__R_0_100), DEC("min_margin_percent", 1, B2B__R_GE0),
	DEC("price_tolerance", 1, B2B__R_GE0), INT("quote_validity_days", 1, 1, IMAX),
};

size_t
b2b__bb_row_size(int t)
{
	return row_size[t];
}

/*===========================================================================
 * MARK: - Rows of each table
 *===========================================================================*/

/* The column (1-based) of field f in the current segment; 0 = absent. */
static long
fcol(const b2b__rowrd *r, int f)
{
	return r->seg->field_col[f];
}

static const char *
fname(const b2b__rowrd *r, int f)
{
	return r->ts->cols[f].name;
}

/* A present cell that `why` does not use: an error naming the column. */
static void
unused(b2b__rowrd *r, const b2b__cellv *v, int f, const char *why)
{
	char got[96];

	if (!v[f].present)
		return;
	b2b__bb_fmt_got(got, sizeof(got), v[f].raw, v[f].len);
	b2b__bb_report(r, fcol(r, f), fname(r, f), "not used %s (leave it empty), got %s", why, got);
}

/* A cell that `why` needs but is empty. */
static void
needed(b2b__rowrd *r, const b2b__cellv *v, int f, int fallback, const char *why)
{
	if (v[f].present)
		return;
	b2b__bb_report(r, fcol(r, f) != 0 ? fcol(r, f) : fcol(r, fallback), fname(r, f),
	          "expected a value %s, got an empty cell", why);
}

static b2b__opt
opt(const b2b__cellv *v)
{
	b2b__opt o;

	memset(&o, 0, sizeof(o));
	if (v->set) {
		o.v = v->d;
		o.set = 1;
	}
	return o;
}

/* The window of [from, until) fields; an error when until ≤ from. */
static b2b__window
window(b2b__rowrd *r, const b2b__cellv *v, int ffrom, int funtil)
{
	b2b__window w;

	w.from = B2B__T_MIN;
	w.until = B2B__T_MAX;
	w.from_form = w.until_form = 0;
	if (v[ffrom].set) {
		w.from = v[ffrom].t.sec;
		w.from_form = v[ffrom].t.form;
	}
	if (v[funtil].set) {
		w.until = v[funtil].t.sec;
		w.until_form = v[funtil].t.form;
	}
	if (v[ffrom].set && v[funtil].set && w.until <= w.from) {
		char got[96], from[96];

		b2b__bb_fmt_got(got, sizeof(got), v[funtil].raw, v[funtil].len);
		b2b__bb_fmt_got(from, sizeof(from), v[ffrom].raw, v[ffrom].len);
		b2b__bb_report(r, fcol(r, funtil), fname(r, funtil),
		          "expected a date after valid_from %s, got %s", from, got);
	}
	return w;
}

/* A set cell into an optional that is all zeros (its padding too). */
static void
opt_into(b2b__opt *o, const b2b__cellv *v)
{
	if (v->set) {
		o->v = v->d;
		o->set = 1;
	}
}

/*
 * The extension record of an item whose window is not open on both ends
 * or that sets one of the rare decimals (book_int.h): appended to the
 * builder's side table, its index in it->ext; B2B__NONE otherwise.
 */
static void
item_ext(b2b__rowrd *r, b2b__item *it, const b2b__item_ext *x)
{
	b2b_book_builder *b = r->b;
	b2b__item_ext *e;

	it->ext = B2B__NONE;
	if (x->window.from == B2B__T_MIN && x->window.until == B2B__T_MAX &&
	    x->window.from_form == 0 && x->window.until_form == 0 && !x->discount_percent.set &&
	    !x->surcharge.set && !x->round_to.set && !x->min_margin.set && !x->max_margin.set)
		return;
	if (b->iext.n >= UINT32_MAX - 1 ||
	    (e = b2b__bb_vec_push(&b->alloc, &b->iext, sizeof(b2b__item_ext))) == NULL) {
		r->rc = B2B_ENOMEM;
		return;
	}
	memcpy(e, x, sizeof *e);   /* padding included: zero */
	it->ext = (uint32_t)(b->iext.n - 1);
}

static uint16_t
ccy(const b2b__cellv *v)
{
	return v->set ? (uint16_t)v->e : B2B__CCY_UNSET;
}

static void *
push_row(b2b__rowrd *r, int t)
{
	b2b_book_builder *b = r->b;
	void *row;
	b2b__rowloc *l;

	if (b->rows[t].n >= UINT32_MAX - 1) {
		r->rc = B2B_ENOMEM;   /* indexes are 32 bits */
		return NULL;
	}
	if ((row = b2b__bb_vec_push(&b->alloc, &b->rows[t], row_size[t])) == NULL) {
		r->rc = B2B_ENOMEM;
		return NULL;
	}
	if ((l = b2b__bb_vec_push(&b->alloc, &b->locs[t], sizeof(b2b__rowloc))) == NULL) {
		b->rows[t].n--;
		r->rc = B2B_ENOMEM;
		return NULL;
	}
	r->pushed = 1;
	l->seg = (uint32_t)b->cur;
	l->line = r->line < 0 ? 0 : r->line > (long)UINT32_MAX ? UINT32_MAX : (uint32_t)r->line;
	return row;
}

static void
row_settings(b2b__rowrd *r, b2b__cellv *v)
{
	b2b_book_builder *b = r->b;
	b2b__setting_row *row;
	const b2b__colspec *spec;
	long vcol = fcol(r, B2B__F_S_VALUE);
	int key;

	if (!v[0].set)
		return;
	key = b2b__bb_enum_find(setting_keys, v[0].raw, v[0].len);
	if (key < 0) {
		char what[512];

		b2b__bb_enum_what(what, sizeof(what), setting_keys);
		b2b__bb_cell_error(r, fcol(r, 0), "key", what, v[0].raw, v[0].len);
		return;
	}
	if (b->set_given[key]) {
		const b2b__seg *first = (const b2b__seg *)b->segs.p + B2B__LOC_SEG(b->set_loc[key]);

		if (first == r->seg || (first->source != NULL && r->seg->source != NULL &&
		                        strcmp(first->source, r->seg->source) == 0))
			b2b__bb_report(r, fcol(r, 0), "key", "duplicate setting \"%s\" (first on line %lu)",
			          setting_keys[key], (unsigned long)b->set_loc[key].line);
		else
			b2b__bb_report(r, fcol(r, 0), "key", "duplicate setting \"%s\" (first at %s:%lu)",
			          setting_keys[key], first->source != NULL ? first->source : "",
			          (unsigned long)b->set_loc[key].line);
		return;
	}
	if ((row = push_row(r, B2B_TABLE_SETTINGS)) == NULL)
		return;
	row->key = key;
	b->set_given[key] = 1;
	b->set_loc[key] = ((b2b__rowloc *)b->locs[B2B_TABLE_SETTINGS].p)[
		b->locs[B2B_TABLE_SETTINGS].n - 1];
	if (!v[1].present) {
		b2b__bb_report(r, vcol, "value", "expected a value for %s, got an empty cell",
		          setting_keys[key]);
		return;
	}
	spec = &setting_specs[key];
	v[1].set = 0;
	b2b__bb_parse_cell(r, vcol, spec->name, spec, &v[1]);
	if (!v[1].set)
		return;
	switch (key) {
	case B2B__SET_BASE_CURRENCY:
		b->base_ccy = (uint16_t)v[1].e;
		break;
	case B2B__SET_ROUNDING_MODE:
		b->settings.rounding = (b2b_rounding)v[1].e;
		break;
	case B2B__SET_UNIT_PRICE_DECIMALS:
		b->settings.unit_price_decimals = (int)v[1].i;
		break;
	case B2B__SET_TAX_ROUNDING:
		b->settings.tax_document = v[1].e;
		break;
	case B2B__SET_MAX_DISCOUNT_PERCENT:
		b->settings.max_discount_percent = v[1].d;
		break;
	case B2B__SET_MIN_MARGIN_PERCENT:
		b->settings.min_margin_percent = opt(&v[1]);
		break;
	case B2B__SET_PRICE_TOLERANCE:
		b->settings.price_tolerance = v[1].d;
		break;
	case B2B__SET_QUOTE_VALIDITY_DAYS:
		b->settings.quote_validity_days = v[1].i;
		break;
	default:
		break;
	}
}

static void
row_currencies(b2b__rowrd *r, b2b__cellv *v)
{
	b2b__currency *c;

	if ((c = push_row(r, B2B_TABLE_CURRENCIES)) == NULL)
		return;
	if (v[0].set)
		memcpy(c->code, v[0].raw, 3);
	c->minor_units = v[1].set ? (int32_t)v[1].i : -1;
	c->cash_increment = opt(&v[2]);
	if (v[2].set && v[1].set) {
		/* §9.3: a multiple of the minor unit */
		b2b_dec q;

		if (b2b_dec_round(&q, v[2].d, (int)v[1].i, B2B_ROUND_DOWN) < 0 ||
		    b2b_dec_cmp(q, v[2].d) != 0) {
			char got[96];

			b2b__bb_fmt_got(got, sizeof(got), v[2].raw, v[2].len);
			b2b__bb_report(r, fcol(r, 2), "cash_increment", "expected a multiple of the minor "
			          "unit (%lld decimals), got %s", (long long)v[1].i, got);
		}
	}
}

static void
row_fx(b2b__rowrd *r, b2b__cellv *v)
{
	b2b__fx *f;

	if ((f = push_row(r, B2B_TABLE_FX_RATES)) == NULL)
		return;
	f->from = ccy(&v[0]);
	f->to = ccy(&v[1]);
	f->rate = v[2].d;
	f->valid_from = v[3].set ? v[3].t.sec : B2B__T_MIN;
	f->line = r->line > INT32_MAX ? INT32_MAX : (int32_t)r->line;
	if (v[0].set && v[1].set && v[0].e == v[1].e) {
		char got[96];

		b2b__bb_fmt_got(got, sizeof(got), v[1].raw, v[1].len);
		b2b__bb_report(r, fcol(r, 1), "to", "expected a currency other than from, got %s", got);
	}
}

static void
row_products(b2b__rowrd *r, b2b__cellv *v)
{
	b2b_book_builder *b = r->b;
	b2b__product *p;
	int f, has_ext = 0;

	if ((p = push_row(r, B2B_TABLE_PRODUCTS)) == NULL)
		return;
	p->sku = v[0].s;
	p->name = v[2].set ? v[2].s : 0;
	p->category = v[3].set ? v[3].s : 0;
	p->list_price = v[1].d;
	if (v[6].set) {
		p->cost = v[6].d;
		p->flags |= B2B__P_HAS_COST;
	}
	p->currency = ccy(&v[5]);
	p->tax_class = UINT16_MAX;
	if (v[11].set) {
		int rc = b2b__bb_tax_class(b, v[11].s, &p->tax_class);

		if (rc == B2B_EOVERFLOW)
			b2b__bb_report(r, fcol(r, 11), "tax_class", "expected at most 65534 tax classes "
			          "in a book");
		else if (rc < 0)
			r->rc = rc;
	}
	if (v[10].set && v[10].e == 1)
		p->flags |= B2B__P_INACTIVE;
	p->ext = B2B__NONE;
	if (v[9].set && v[8].set && b2b_dec_cmp(v[9].d, v[8].d) < 0) {
		char got[96], mn[96];

		b2b__bb_fmt_got(got, sizeof(got), v[9].raw, v[9].len);
		b2b__bb_fmt_got(mn, sizeof(mn), v[8].raw, v[8].len);
		b2b__bb_report(r, fcol(r, 9), "max_qty", "expected a quantity >= min_qty %s, got %s",
		          mn, got);
	}
	for (f = 4; f <= 16; f++)
		if (v[f].set && (f == 4 || (f >= 7 && f <= 9) || f >= 12))
			has_ext = 1;
	if (has_ext) {
		b2b__product_ext *e;

		if (b->ext.n >= UINT32_MAX - 1 ||
		    (e = b2b__bb_vec_push(&b->alloc, &b->ext, sizeof(b2b__product_ext))) == NULL) {
			r->rc = B2B_ENOMEM;
			return;
		}
		p->ext = (uint32_t)(b->ext.n - 1);
		e->uom = v[4].set ? v[4].s : 0;
		e->pack_size = opt(&v[7]);
		e->min_qty = opt(&v[8]);
		e->max_qty = opt(&v[9]);
		e->on_hand = opt(&v[12]);
		e->daily_demand = opt(&v[13]);
		e->baseline_demand = opt(&v[14]);
		e->competitor_price = opt(&v[15]);
		e->prev_price = opt(&v[16]);
	}
}

static void
row_customers(b2b__rowrd *r, b2b__cellv *v)
{
	b2b__customer *c;

	if ((c = push_row(r, B2B_TABLE_CUSTOMERS)) == NULL)
		return;
	c->id = v[0].s;
	c->name = v[1].set ? v[1].s : 0;
	c->segment = v[2].set ? v[2].s : 0;
	c->channel = v[3].set ? v[3].s : 0;
	c->currency = ccy(&v[4]);
	if (v[5].set) {
		c->lists_off = v[5].off;
		c->lists_n = v[5].n;
	}
	if (v[6].set) {
		c->catalog_off = v[6].off;
		c->catalog_n = v[6].n;
	}
	c->credit_limit = opt(&v[7]);
	c->open_balance = opt(&v[8]);
	if (v[9].set) {
		c->terms_off = v[9].off;
		c->terms_n = v[9].n;
	}
	if (v[10].set) {
		c->regions_off = v[10].off;
		c->regions_n = v[10].n;
	}
	c->min_order_value = opt(&v[11]);
	c->budget = opt(&v[12]);
}

static void
row_lists(b2b__rowrd *r, b2b__cellv *v)
{
	b2b__list *l;

	if ((l = push_row(r, B2B_TABLE_PRICE_LISTS)) == NULL)
		return;
	l->id = v[0].s;
	l->currency = ccy(&v[1]);
	l->priority = v[2].set ? v[2].i : 0;
	l->window = window(r, v, 3, 4);
	l->parent = v[5].set ? v[5].s : 0;
	if (v[6].set) {
		l->applies_off = v[6].off;
		l->applies_n = v[6].n;
	}
	l->tier_mode = v[7].set ? v[7].e : B2B__TIER_ALL_UNITS;
}

static void
row_items(b2b__rowrd *r, b2b__cellv *v)
{
	b2b__item *it;
	b2b__item_ext x;
	int compute = v[5].set ? v[5].e : -1;

	if ((it = push_row(r, B2B_TABLE_PRICE_LIST_ITEMS)) == NULL)
		return;
	it->list = v[0].s;
	it->scope = v[1].sc;
	it->min_qty = v[2].d;    /* zero when empty */
	it->compute = (uint8_t)(compute < 0 ? B2B__COMPUTE_FIXED : compute);
	it->base = (uint8_t)(v[8].set ? v[8].base : B2B__BASE_LIST);
	it->base_list = v[8].set && v[8].base == B2B__BASE_LIST_ID ? v[8].s : 0;
	if (v[6].set) {
		it->price = v[6].d;
		it->price_set = 1;
	}
	it->line = r->line > INT32_MAX ? INT32_MAX : (int32_t)r->line;
	memset(&x, 0, sizeof x);
	x.window = window(r, v, 3, 4);
	opt_into(&x.discount_percent, &v[7]);
	opt_into(&x.surcharge, &v[9]);
	opt_into(&x.round_to, &v[10]);
	opt_into(&x.min_margin, &v[11]);
	opt_into(&x.max_margin, &v[12]);
	item_ext(r, it, &x);
	switch (compute) {
	case B2B__COMPUTE_FIXED:
		needed(r, v, 6, 5, "for compute fixed");
		unused(r, v, 7, "by a fixed item");
		unused(r, v, 8, "by a fixed item");
		unused(r, v, 9, "by a fixed item");
		unused(r, v, 10, "by a fixed item");
		unused(r, v, 11, "by a fixed item");
		unused(r, v, 12, "by a fixed item");
		break;
	case B2B__COMPUTE_DISCOUNT:
		unused(r, v, 6, "by a discount item");
		needed(r, v, 7, 5, "for compute discount");
		unused(r, v, 9, "by a discount item");
		unused(r, v, 10, "by a discount item");
		unused(r, v, 11, "by a discount item");
		unused(r, v, 12, "by a discount item");
		break;
	case B2B__COMPUTE_FORMULA:
		unused(r, v, 6, "by a formula item");
		break;
	default:
		break;
	}
}

static void
row_contracts(b2b__rowrd *r, b2b__cellv *v)
{
	b2b__contract *k;

	if ((k = push_row(r, B2B_TABLE_CONTRACTS)) == NULL)
		return;
	k->id = v[0].s;
	k->customer = v[1].s;
	k->currency = ccy(&v[2]);
	k->window = window(r, v, 3, 4);
	k->policy = v[5].set ? v[5].e : B2B__POLICY_OVERRIDE;
	k->allow_promotions = v[6].set ? v[6].e : 0;
}

static void
row_citems(b2b__rowrd *r, b2b__cellv *v)
{
	b2b__item *it;
	b2b__item_ext x;

	if ((it = push_row(r, B2B_TABLE_CONTRACT_ITEMS)) == NULL)
		return;
	it->list = v[0].s;
	it->scope = v[1].sc;
	it->min_qty = v[2].d;
	if (v[3].set) {
		it->price = v[3].d;
		it->price_set = 1;
	}
	it->compute = v[4].present ? B2B__COMPUTE_DISCOUNT : B2B__COMPUTE_FIXED;
	it->base = B2B__BASE_LIST;
	it->line = r->line > INT32_MAX ? INT32_MAX : (int32_t)r->line;
	memset(&x, 0, sizeof x);
	x.window.from = B2B__T_MIN;
	x.window.until = B2B__T_MAX;
	opt_into(&x.discount_percent, &v[4]);
	item_ext(r, it, &x);
	if (v[3].present && v[4].present) {
		char got[96];

		b2b__bb_fmt_got(got, sizeof(got), v[4].raw, v[4].len);
		b2b__bb_report(r, fcol(r, 4), "discount_percent", "expected exactly one of price and "
		          "discount_percent, got both (discount_percent %s)", got);
	} else if (!v[3].present && !v[4].present) {
		b2b__bb_report(r, fcol(r, 3) ? fcol(r, 3) : fcol(r, 4) ? fcol(r, 4) : fcol(r, 0),
		          fcol(r, 3) || !fcol(r, 4) ? "price" : "discount_percent",
		          "expected exactly one of price and discount_percent, got neither");
	}
}

static void
row_rules(b2b__rowrd *r, b2b__cellv *v)
{
	b2b__rule *u;
	int sig = v[2].set ? v[2].e : -1;

	if ((u = push_row(r, B2B_TABLE_DYNAMIC_RULES)) == NULL)
		return;
	u->id = v[0].s;
	u->scope = v[1].sc;
	u->signal = sig < 0 ? 0 : sig;
	u->priority = v[3].set ? v[3].i : 0;
	u->window = window(r, v, 4, 5);
	if (v[6].set) {
		u->points_off = v[6].off;
		u->points_n = v[6].n;
	}
	u->markup_percent = opt(&v[7]);
	u->offset_percent = opt(&v[8]);
	u->min_factor = opt(&v[9]);
	u->max_factor = opt(&v[10]);
	u->max_change_percent = opt(&v[11]);
	u->price_step = opt(&v[12]);
	switch (sig) {
	case B2B__SIG_STOCK_DAYS:
	case B2B__SIG_DEMAND_RATIO:
		needed(r, v, 6, 2, sig == B2B__SIG_STOCK_DAYS ? "for signal stock_days"
		                                              : "for signal demand_ratio");
		unused(r, v, 7, sig == B2B__SIG_STOCK_DAYS ? "by a stock_days rule"
		                                           : "by a demand_ratio rule");
		unused(r, v, 8, sig == B2B__SIG_STOCK_DAYS ? "by a stock_days rule"
		                                           : "by a demand_ratio rule");
		break;
	case B2B__SIG_COMPETITOR:
		unused(r, v, 6, "by a competitor rule");
		unused(r, v, 7, "by a competitor rule");
		break;
	case B2B__SIG_COST_PLUS:
		unused(r, v, 6, "by a cost_plus rule");
		needed(r, v, 7, 2, "for signal cost_plus");
		unused(r, v, 8, "by a cost_plus rule");
		break;
	default:
		break;
	}
	if (v[9].set && v[10].set && b2b_dec_cmp(v[9].d, v[10].d) > 0) {
		char got[96], mx[96];

		b2b__bb_fmt_got(got, sizeof(got), v[9].raw, v[9].len);
		b2b__bb_fmt_got(mx, sizeof(mx), v[10].raw, v[10].len);
		b2b__bb_report(r, fcol(r, 9), "min_factor", "expected at most max_factor %s, got %s",
		          mx, got);
	}
}

static void
row_promos(b2b__rowrd *r, b2b__cellv *v)
{
	b2b__promo *p;
	int kind = v[1].set ? v[1].e : -1;
	int order = kind == B2B__PROMO_ORDER_PERCENT || kind == B2B__PROMO_ORDER_AMOUNT;

	if ((p = push_row(r, B2B_TABLE_PROMOTIONS)) == NULL)
		return;
	p->id = v[0].s;
	p->kind = kind < 0 ? 0 : kind;
	p->value = opt(&v[2]);
	if (v[3].set) {
		p->scope = v[3].sc;
	} else {
		p->scope.kind = B2B__SCOPE_ALL;
		if (!order) {
			int rc = b2b__bb_intern(r->b, "all", 3, &p->scope.text);

			if (rc < 0)
				r->rc = rc;
		}
	}
	p->segment = v[4].set ? v[4].s : 0;
	p->code = v[5].set ? v[5].s : 0;
	p->window = window(r, v, 6, 7);
	p->priority = v[8].set ? v[8].i : 0;
	p->exclusive = v[9].set ? v[9].e : 0;
	if (v[10].set) {
		b2b_dec_from_units(&p->buy_qty.v, v[10].i, 0);
		p->buy_qty.set = 1;
	}
	if (v[11].set) {
		b2b_dec_from_units(&p->get_qty.v, v[11].i, 0);
		p->get_qty.set = 1;
	}
	p->min_subtotal = opt(&v[12]);
	if (kind < 0)
		return;
	if (kind == B2B__PROMO_BUY_X_GET_Y) {
		unused(r, v, 2, "by a buy_x_get_y promotion");
		needed(r, v, 10, 1, "for kind buy_x_get_y");
		needed(r, v, 11, 1, "for kind buy_x_get_y");
	} else {
		needed(r, v, 2, 1, kind == B2B__PROMO_PERCENT ? "for kind percent"
		                 : kind == B2B__PROMO_AMOUNT ? "for kind amount"
		                 : kind == B2B__PROMO_FIXED_PRICE ? "for kind fixed_price"
		                 : kind == B2B__PROMO_ORDER_PERCENT ? "for kind order_percent"
		                 : "for kind order_amount");
		if (v[2].set) {
			b2b_dec hundred;

			b2b_dec_from_units(&hundred, 100, 0);
			if (b2b_dec_sign(v[2].d) <= 0)
				b2b__bb_cell_error(r, fcol(r, 2), "value", "a decimal > 0", v[2].raw, v[2].len);
			else if ((kind == B2B__PROMO_PERCENT || kind == B2B__PROMO_ORDER_PERCENT) &&
			         b2b_dec_cmp(v[2].d, hundred) > 0)
				b2b__bb_cell_error(r, fcol(r, 2), "value", "a percentage from 0 to 100 (exclusive "
				           "of 0)", v[2].raw, v[2].len);
		}
		unused(r, v, 10, "by this kind of promotion (only buy_x_get_y)");
		unused(r, v, 11, "by this kind of promotion (only buy_x_get_y)");
	}
	if (order)
		unused(r, v, 3, "by an order promotion");
	else
		unused(r, v, 12, "by a line promotion");
}

static void
row_taxes(b2b__rowrd *r, b2b__cellv *v)
{
	b2b__tax *t;

	if ((t = push_row(r, B2B_TABLE_TAXES)) == NULL)
		return;
	t->tax_class = v[0].s;
	t->region = v[1].s;
	t->rate_percent = v[2].d;
}

static void
row_approvals(b2b__rowrd *r, b2b__cellv *v)
{
	b2b__approval *a;

	if ((a = push_row(r, B2B_TABLE_APPROVAL_RULES)) == NULL)
		return;
	a->id = v[0].s;
	a->metric = v[1].set ? v[1].e : 0;
	a->threshold = v[2].d;
	a->level = v[3].set ? (int)v[3].i : 1;
	if (v[0].set && v[0].len == 11 && memcmp(v[0].raw, "below_floor", 11) == 0)
		b2b__bb_report(r, fcol(r, 0), "id", "expected an id other than \"below_floor\" (the "
		          "implicit rule of lines below their floor)");
}

/* volume_agreements.csv (SPEC §10): references are resolved at freeze
 * (book_freeze_volume.c); `party` keeps the interned id or segment. */
static void
row_agreements(b2b__rowrd *r, b2b__cellv *v)
{
	b2b__agreement *a;

	if ((a = push_row(r, B2B_TABLE_VOLUME_AGREEMENTS)) == NULL)
		return;
	a->id = v[0].s;
	a->party_kind = v[1].set ? v[1].party_kind : B2B__VA_PARTY_CUSTOMER;
	a->party = v[1].set ? v[1].party : 0;
	a->customer = B2B__NONE;
	a->scope = v[2].sc;
	a->basis = v[3].set ? v[3].e : B2B__VA_BASIS_QTY;
	a->kind = v[4].set ? v[4].e : B2B__VA_DISCOUNT;
	if (v[5].set) {
		a->tiers_off = v[5].off;
		a->tiers_n = v[5].n;
	}
	a->currency = ccy(&v[6]);
	a->window = window(r, v, 7, 8);
	a->line = r->line > INT32_MAX ? INT32_MAX : (int32_t)r->line;
	if (v[3].set && a->basis == B2B__VA_BASIS_QTY)
		unused(r, v, 6, "by a qty agreement (only amount agreements have a currency)");
}

static void
row_cvolumes(b2b__rowrd *r, b2b__cellv *v)
{
	b2b__cvolume *c;

	if ((c = push_row(r, B2B_TABLE_CUSTOMER_VOLUMES)) == NULL)
		return;
	c->customer = v[0].s;
	c->agreement = v[1].s;
	c->volume = v[2].d;
	c->line = r->line > INT32_MAX ? INT32_MAX : (int32_t)r->line;
}

typedef void (*row_fn)(b2b__rowrd *r, b2b__cellv *v);
static const row_fn row_fns[B2B_TABLE_COUNT] = {
	row_settings, row_currencies, row_fx, row_products, row_customers, row_lists,
	row_items, row_contracts, row_citems, row_rules, row_promos, row_taxes, row_approvals,
	row_agreements, row_cvolumes,
};

void
b2b__bb_row(b2b__rowrd *r, b2b__cellv *v)
{
	row_fns[r->seg->table](r, v);
}
