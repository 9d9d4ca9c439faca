/* Instantiate's optional `marketing` field, stored in cw20-base's layout (Items
 * "marketing_info" and "logo"), and the marketing_info query. The marketing *extension*
 * (update_marketing, upload_logo, download_logo, embedded logos) is deliberately omitted:
 * SPEC.md §3 and "Deliberate differences from cw20-base". */
#include "token.h"

static const char NS_MARKETING[] = "marketing_info";

static const cw_field INIT_MARKETING_FIELDS[] = {
    CW_OPT(st_marketing_init, "project", ST_STRING, project, has_project),
    CW_OPT(st_marketing_init, "description", ST_STRING, description, has_description),
    CW_OPT(st_marketing_init, "marketing", ST_STRING, marketing, has_marketing),
    CW_OPT(st_marketing_init, "logo", ST_RAW, logo, has_logo),
};

/* The Logo enum is parsed as serde would ({"url": String} | {"embedded": …}); an embedded
 * logo's body is not read, since instantiate refuses it. */
cw_error *st_marketing_parse(cw_json v, st_marketing_init *m) {
    static const char *const kinds[] = {"url", "embedded", NULL, NULL};
    *m = (st_marketing_init){0};
    CW_TRY(st_parse_struct(v, "InstantiateMarketingInfo", INIT_MARKETING_FIELDS, 4, m));
    if (!m->has_logo) return NULL;
    size_t which;
    cw_json body;
    CW_TRY(st_parse_enum(m->logo, "enum Logo", kinds, &which, &body));
    m->embedded_logo = which == 1;
    return m->embedded_logo ? NULL : st_json_string(body, &m->logo_url);
}

/* cw20-base's order: logo, then the marketing address, then the record (saved even when every
 * field is null). A URL logo is stored as {"url":U} and the record's logo as the same JSON. */
cw_error *st_marketing_instantiate(const st_marketing_init *m) {
    cw_buf logo = {0}, out = {0};
    if (m->embedded_logo)
        return cw_errorf("embedded logos are not supported by stable_token; use a url");
    if (m->has_marketing) CW_TRY(cw_addr_validate(m->marketing));
    if (m->has_logo) {
        cw_buf_printf(&logo, "{\"url\":%J}", m->logo_url);
        cw_item_save("logo", cw_buf_view(&logo));
    } else {
        cw_buf_puts(&logo, "null");
    }
    cw_buf_printf(&out, "{\"project\":%J,\"description\":%J,\"logo\":%S,\"marketing\":%J}",
                  m->project, m->description, cw_buf_view(&logo), m->marketing);
    cw_item_save(NS_MARKETING, cw_buf_view(&out));
    cw_buf_free(&logo);
    cw_buf_free(&out);
    return NULL;
}

/* MarketingInfoResponse serialises exactly as the stored record, so the stored bytes are the
 * answer; without a record, every field is null. */
cw_error *st_query_marketing_info(cw_buf *answer) {
    cw_str raw;
    if (!cw_item_load(NS_MARKETING, &raw)) {
        cw_buf_puts(answer,
                    "{\"project\":null,\"description\":null,\"logo\":null,\"marketing\":null}");
        return NULL;
    }
    cw_buf_put_str(answer, raw);
    cw_free((void *)raw.ptr);
    return NULL;
}
