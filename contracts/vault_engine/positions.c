/* Positions: records and the owner index, open (with an optional first deposit), transfer of
 * ownership and close (debt zero: return every collateral, delete the record). */
#include "engine.h"

/* --- Records ------------------------------------------------------------------------------- */

static cw_str owner_key(cw_str owner, uint64_t id) {
    char be[8];
    cw_buf k = {0};
    cw_key_map(&k, "by_owner");
    cw_key_push(&k, owner);
    cw_key_last(&k, cw_be_u64(id, be));
    return cw_hold_buf(&k);
}

cw_error *ve_position_load(uint64_t id, ve_position *p) {
    cw_str v;
    if (!ve_load(ve_key_id("position", id), &v))
        return cw_errorf("position not found: %llu", (unsigned long long)id);
    ve_rd r = {v, 0};
    p->id = id;
    p->owner = ve_get_str(&r);
    p->market = ve_get_str(&r);
    p->normalised_debt = ve_get_u128(&r);
    p->n = (uint32_t)ve_get_u64(&r);
    if (p->n > VE_MAX_BASKET) cw_abort("vault_engine: corrupt position");
    for (uint32_t i = 0; i < p->n; i++) {
        p->coll[i].asset = ve_get_str(&r);
        p->coll[i].amount = ve_get_u128(&r);
    }
    ve_index_of(p, &p->indexed);
    return NULL;
}

/* Holdings that reached zero are dropped; the others keep their deposit order. */
void ve_position_save(const ve_position *p) {
    cw_buf b = {0};
    ve_put_str(&b, p->owner);
    ve_put_str(&b, p->market);
    ve_put_u128(&b, p->normalised_debt);
    uint64_t n = 0;
    for (uint32_t i = 0; i < p->n; i++) n += p->coll[i].amount != 0;
    ve_put_u64(&b, n);
    for (uint32_t i = 0; i < p->n; i++) {
        if (p->coll[i].amount == 0) continue;
        ve_put_str(&b, p->coll[i].asset);
        ve_put_u128(&b, p->coll[i].amount);
    }
    cw_db_write(ve_key_id("position", p->id), cw_buf_view(&b));
    cw_buf_free(&b);
    ve_index_entry now;
    ve_index_of(p, &now);
    ve_index_update(p, &now);
}

cw_error *ve_position_for(ve_ctx *c, uint64_t id, bool owner_only, ve_position *p) {
    CW_TRY(ve_position_load(id, p));
    if (owner_only && !cw_str_eq(c->info->sender, p->owner))
        return cw_errorf("unauthorized: %S is not the owner of position %llu", c->info->sender,
                         (unsigned long long)id);
    return ve_touch_market(c, p->market);
}

void ve_position_attrs(ve_ctx *c, const char *action, const ve_position *p) {
    cw_res_attr_c(c->res, "action", action);
    cw_res_attr_u64(c->res, "position_id", p->id);
    cw_res_attr(c->res, "market", p->market);
    cw_res_attr(c->res, "owner", p->owner);
}

/* --- Open, transfer, close ------------------------------------------------------------------ */

cw_error *ve_exec_open_position(ve_ctx *c, const ve_msg *m) {
    CW_TRY(ve_require_running(c));
    CW_TRY(ve_touch_market(c, m->market));
    ve_position p = {0};
    p.id = c->cfg.next_position_id++;
    p.owner = c->info->sender;
    p.market = m->market;
    ve_config_save(&c->cfg);
    c->totals.open_positions++;
    cw_db_write(owner_key(p.owner, p.id), CW_LIT("1"));
    ve_position_attrs(c, "open_position", &p);
    CW_TRY(ve_deposit_funds(c, &p));
    ve_position_save(&p);
    char id[24];
    cw_res_data(c->res, (cw_str){id, cw_u64_to_dec(p.id, id)});
    return NULL;
}

cw_error *ve_exec_transfer_position(ve_ctx *c, const ve_msg *m) {
    ve_position p;
    CW_TRY(ve_position_for(c, m->position_id, true, &p));
    cw_db_remove(owner_key(p.owner, p.id));
    ve_position_attrs(c, "transfer_position", &p);
    p.owner = m->new_owner;
    cw_db_write(owner_key(p.owner, p.id), CW_LIT("1"));
    ve_position_save(&p);
    cw_res_attr(c->res, "new_owner", p.owner);
    return NULL;
}

void ve_close_position(ve_ctx *c, ve_position *p, cw_str to) {
    for (uint32_t i = 0; i < p->n; i++) {
        if (p->coll[i].amount == 0) continue;
        cw_error *err = ve_send_collateral(c, p, p->coll[i].asset, p->coll[i].amount, to);
        if (err) cw_abort(err->msg); /* the position's own holdings: cannot fail */
    }
    ve_position_delete(c, p);
}

void ve_position_delete(ve_ctx *c, const ve_position *p) {
    ve_index_update(p, NULL);
    cw_db_remove(ve_key_id("position", p->id));
    cw_db_remove(owner_key(p->owner, p->id));
    c->totals.open_positions--;
}

cw_error *ve_exec_close(ve_ctx *c, const ve_msg *m) {
    ve_position p;
    CW_TRY(ve_position_for(c, m->position_id, true, &p));
    cw_u128 debt = ve_debt_of(p.normalised_debt, c->market.accumulator);
    if (debt)
        return cw_errorf("position has debt: repay %Q first or send it with {\"close\":...} "
                         "(market %S, position %llu)",
                         debt, p.market, (unsigned long long)p.id);
    ve_position_attrs(c, "close", &p);
    ve_close_position(c, &p, p.owner);
    return NULL;
}
