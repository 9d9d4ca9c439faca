/* manifest_internal.h — shared between the manifest's source files (not for other modules):
 * the parse context, path helpers and the cross-field rule and hash passes. */
#ifndef DEP_MANIFEST_INTERNAL_H
#define DEP_MANIFEST_INTERNAL_H

#include <jansson.h>

#include "manifest.h"

/* Longest JSON path kept in an error ("markets[12].collaterals[3].liquidation_threshold"). */
#define DEP_PATH_CAP 192

/* Child path "parent.name" (or "name" at the root) and element path "parent[i]". */
void dep_path_field(char *out, const char *parent, const char *name);
void dep_path_index(char *out, const char *parent, size_t i);

/* Cross-field rules over a parsed manifest (manifest_rules.c): each broken rule is appended to
 * errs; values whose own parse failed (ok == false) are skipped. */
void dep_manifest_check_rules(const dep_manifest *m, dep_errors *errs);

/* Canonical serialisation of the document and its SHA-256 (manifest_hash.c): compact, object
 * keys sorted by byte value, non-ASCII escaped as \uXXXX. Sets m->canonical and m->hash_hex. */
void dep_manifest_hash(const json_t *doc, dep_manifest *m);

#endif
