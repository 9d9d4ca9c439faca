/* The "marketing" extension: project/description/marketing-address metadata, the logo (URL or
 * embedded SVG/PNG of at most 5 KB) and its queries. cw20-base contract.rs semantics, SPEC.md
 * §4–§6; stored as Items "marketing_info" and "logo". */
#include "token.h"

#define LOGO_SIZE_CAP 5120

static const char NS_MARKETING[] = "marketing_info";
static const char NS_LOGO[] = "logo";

/* MarketingInfoResponse; a field with a NULL ptr is None. `logo_info` is the LogoInfo JSON. */
typedef struct marketing_info {
    cw_str project, description, logo_info, marketing;
} marketing_info;

/* Logo: url, or embedded svg/png bytes. */
typedef enum logo_kind { LOGO_URL = 0, LOGO_EMBEDDED } logo_kind;
typedef struct logo {
    logo_kind kind;
    bool png;
    cw_str data; /* URL text, or the decoded image */
} logo;

static bool starts_with(cw_str s, const char *p, size_t n) {
    return s.len >= n && memcmp(s.ptr, p, n) == 0;
}

static cw_error *verify_logo(const logo *l) {
    if (l->kind == LOGO_URL) return NULL;
    if (!l->png) {
        /* The preamble is everything up to and including the first '>'. */
        cw_str pre = l->data;
        for (size_t i = 0; i < pre.len; i++)
            if (pre.ptr[i] == '>') {
                pre.len = i + 1;
                break;
            }
        if (pre.len == 0 || !starts_with(pre, "<?xml ", 6) || pre.len < 2 ||
            memcmp(pre.ptr + pre.len - 2, "?>", 2) != 0)
            return cw_errorf("Invalid xml preamble for SVG");
        if (l->data.len > LOGO_SIZE_CAP) return cw_errorf("Logo binary data exceeds 5KB limit");
        return NULL;
    }
    if (l->data.len > LOGO_SIZE_CAP) return cw_errorf("Logo binary data exceeds 5KB limit");
    if (!starts_with(l->data, "\x89PNG\r\n\x1a\n", 8)) return cw_errorf("Invalid png header");
    return NULL;
}

static cw_error *parse_logo(cw_json v, logo *l) {
    static const char *const kinds[] = {"url", "embedded", NULL};
    static const char *const formats[] = {"svg", "png", NULL};
    size_t which;
    cw_json body;
    CW_TRY(st_parse_enum(v, "enum Logo", kinds, &which, &body));
    l->kind = (logo_kind)which;
    l->png = false;
    if (which == LOGO_URL) return st_json_string(body, &l->data);
    CW_TRY(st_parse_enum(body, "enum EmbeddedLogo", formats, &which, &body));
    l->png = which == 1;
    return st_parse_binary(body, &l->data);
}

/* Save the logo and return its LogoInfo JSON (held). */
static cw_str save_logo(const logo *l) {
    cw_buf out = {0}, info = {0};
    cw_jw w;
    cw_jw_init(&w, &out);
    cw_jw_obj_begin(&w);
    if (l->kind == LOGO_URL) {
        cw_jw_key(&w, "url");
        cw_jw_str(&w, l->data);
    } else {
        cw_jw_key(&w, "embedded");
        cw_jw_obj_begin(&w);
        cw_jw_key(&w, l->png ? "png" : "svg");
        cw_jw_base64(&w, l->data);
        cw_jw_obj_end(&w);
    }
    cw_jw_obj_end(&w);
    cw_item_save(NS_LOGO, cw_buf_view(&out));
    cw_buf_free(&out);
    if (l->kind == LOGO_URL) {
        cw_jw_init(&w, &info);
        cw_jw_obj_begin(&w);
        cw_jw_key(&w, "url");
        cw_jw_str(&w, l->data);
        cw_jw_obj_end(&w);
    } else {
        cw_buf_puts(&info, "\"embedded\"");
    }
    return st_hold_buf(&info);
}

static void put_opt_str(cw_jw *w, const char *key, cw_str s) {
    cw_jw_key(w, key);
    if (s.ptr)
        cw_jw_str(w, s);
    else
        cw_jw_null(w);
}

static void write_marketing(cw_jw *w, const marketing_info *m) {
    cw_jw_obj_begin(w);
    put_opt_str(w, "project", m->project);
    put_opt_str(w, "description", m->description);
    cw_jw_key(w, "logo");
    if (m->logo_info.ptr)
        cw_jw_raw(w, m->logo_info);
    else
        cw_jw_null(w);
    put_opt_str(w, "marketing", m->marketing);
    cw_jw_obj_end(w);
}

static void save_marketing(const marketing_info *m) {
    cw_buf out = {0};
    cw_jw w;
    cw_jw_init(&w, &out);
    write_marketing(&w, m);
    cw_item_save(NS_MARKETING, cw_buf_view(&out));
    cw_buf_free(&out);
}

/* MarketingInfoResponse as stored, the logo still raw. */
typedef struct stored_marketing {
    cw_str project, description, marketing;
    cw_json logo;
    bool has_project, has_description, has_marketing, has_logo;
} stored_marketing;

static const st_field MARKETING_FIELDS[] = {
    ST_OPT(stored_marketing, "project", ST_STRING, project, has_project),
    ST_OPT(stored_marketing, "description", ST_STRING, description, has_description),
    ST_OPT(stored_marketing, "logo", ST_RAW, logo, has_logo),
    ST_OPT(stored_marketing, "marketing", ST_STRING, marketing, has_marketing),
};

/* Load the stored marketing info; false when there is none. */
static cw_error *load_marketing(marketing_info *m, bool *found) {
    *m = (marketing_info){{0}, {0}, {0}, {0}};
    cw_str raw;
    *found = cw_item_load(NS_MARKETING, &raw);
    if (!*found) return NULL;
    st_hold((void *)raw.ptr);
    cw_json root;
    stored_marketing s = {0};
    CW_TRY(cw_json_parse(raw, &root));
    CW_TRY(st_parse_struct(root, "MarketingInfoResponse", MARKETING_FIELDS, 4, &s));
    m->project = s.project;
    m->description = s.description;
    m->marketing = s.marketing;
    if (s.has_logo) m->logo_info = s.logo.text;
    return NULL;
}

static const st_field INIT_MARKETING_FIELDS[] = {
    ST_OPT(st_marketing_init, "project", ST_STRING, project, has_project),
    ST_OPT(st_marketing_init, "description", ST_STRING, description, has_description),
    ST_OPT(st_marketing_init, "marketing", ST_STRING, marketing, has_marketing),
    ST_OPT(st_marketing_init, "logo", ST_RAW, logo, has_logo),
};

cw_error *st_marketing_parse(cw_json v, st_marketing_init *m) {
    *m = (st_marketing_init){0};
    CW_TRY(st_parse_struct(v, "InstantiateMarketingInfo", INIT_MARKETING_FIELDS, 4, m));
    logo l;
    return m->has_logo ? parse_logo(m->logo, &l) : NULL;
}

cw_error *st_marketing_instantiate(const st_marketing_init *init) {
    marketing_info m = {init->project, init->description, {0}, init->marketing};
    if (init->has_logo) {
        logo l;
        CW_TRY(parse_logo(init->logo, &l));
        CW_TRY(verify_logo(&l));
        m.logo_info = save_logo(&l);
    }
    if (init->has_marketing) CW_TRY(cw_addr_validate(m.marketing));
    save_marketing(&m);
    return NULL;
}

/* Some("") or whitespace-only clears a field; None leaves it. */
static bool blank(cw_str s) {
    for (size_t i = 0; i < s.len; i++) {
        char ch = s.ptr[i];
        if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r' && ch != '\f' && ch != '\v')
            return false;
    }
    return true;
}

static cw_error *authorize(st_ctx *c, const marketing_info *m, bool found) {
    if (!found || !m->marketing.ptr || !cw_str_eq(m->marketing, c->info->sender))
        return cw_errorf("Unauthorized");
    return NULL;
}

/* {project?, description?, marketing?} in m->text, m->to, m->mkt. */
cw_error *st_exec_update_marketing(st_ctx *c, const st_msg *m) {
    marketing_info info;
    bool found;
    if (load_marketing(&info, &found)) return cw_errorf("Unauthorized");
    CW_TRY(authorize(c, &info, found));
    if (m->has_text) info.project = blank(m->text) ? (cw_str){0} : m->text;
    if (m->has_to) info.description = blank(m->to) ? (cw_str){0} : m->to;
    if (m->has_mkt) {
        if (blank(m->mkt)) {
            info.marketing = (cw_str){0};
        } else {
            CW_TRY(cw_addr_validate(m->mkt));
            info.marketing = m->mkt;
        }
    }
    if (!info.project.ptr && !info.description.ptr && !info.marketing.ptr && !info.logo_info.ptr)
        cw_item_remove(NS_MARKETING);
    else
        save_marketing(&info);
    cw_res_attr_c(c->res, "action", "update_marketing");
    return NULL;
}

cw_error *st_exec_upload_logo(st_ctx *c, cw_json body) {
    logo l;
    CW_TRY(st_parse_error("cw20::msg::Cw20ExecuteMsg", parse_logo(body, &l)));
    marketing_info m;
    bool found;
    if (load_marketing(&m, &found) || !found) return cw_errorf("Unauthorized");
    CW_TRY(verify_logo(&l));
    CW_TRY(authorize(c, &m, found));
    m.logo_info = save_logo(&l);
    save_marketing(&m);
    cw_res_attr_c(c->res, "action", "upload_logo");
    return NULL;
}

cw_error *st_query_marketing_info(cw_buf *answer) {
    marketing_info m;
    bool found;
    CW_TRY(load_marketing(&m, &found));
    cw_jw w;
    cw_jw_init(&w, answer);
    write_marketing(&w, &m);
    return NULL;
}

cw_error *st_query_download_logo(cw_buf *answer) {
    cw_str raw;
    if (!cw_item_load(NS_LOGO, &raw)) return cw_errorf("cw20::logo::Logo not found");
    st_hold((void *)raw.ptr);
    cw_json root;
    logo l;
    CW_TRY(cw_json_parse(raw, &root));
    CW_TRY(parse_logo(root, &l));
    if (l.kind == LOGO_URL) return cw_errorf("logo not found");
    cw_jw w;
    cw_jw_init(&w, answer);
    cw_jw_obj_begin(&w);
    cw_jw_key(&w, "mime_type");
    cw_jw_cstr(&w, l.png ? "image/png" : "image/svg+xml");
    cw_jw_key(&w, "data");
    cw_jw_base64(&w, l.data);
    cw_jw_obj_end(&w);
    return NULL;
}
