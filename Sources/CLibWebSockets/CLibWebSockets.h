// Thin shim over libwebsockets for Swift.
//
// Only macros that Swift cannot import (computed padding, 64-bit option masks) are re-exposed as functions.

#ifndef MESHBRIDGE_CLIBWEBSOCKETS_H
#define MESHBRIDGE_CLIBWEBSOCKETS_H

#include <libwebsockets.h>

/// Bytes libwebsockets needs in front of every buffer passed to lws_write (LWS_PRE).
static inline size_t clws_pre_padding(void) {
    return LWS_PRE;
}

/// The value of CONTEXT_PORT_NO_LISTEN (a client-only context or vhost).
static inline int clws_context_port_no_listen(void) {
    return CONTEXT_PORT_NO_LISTEN;
}

/// LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT | LWS_SERVER_OPTION_EXPLICIT_VHOSTS.
static inline uint64_t clws_client_context_options(void) {
    return LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT | LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
}

/// Options of a client vhost with its own TLS context; `only_configured_ca` adds
/// LWS_SERVER_OPTION_DISABLE_OS_CA_CERTS so that the configured CA replaces the system trust store.
static inline uint64_t clws_vhost_client_tls_options(int only_configured_ca) {
    uint64_t options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    if (only_configured_ca)
        options |= LWS_SERVER_OPTION_DISABLE_OS_CA_CERTS;
    return options;
}

#endif
