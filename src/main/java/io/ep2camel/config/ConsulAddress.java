package io.ep2camel.config;

import io.ep2camel.model.HostNames;

import java.net.URI;

/** [CONSUL] address / CONSUL_HTTP_ADDR, read as the consul CLI reads it. */
public final class ConsulAddress {
    private ConsulAddress() {
    }

    /**
     * address as the consul CLI takes it: host:port, [v6]:port, host (port 8500), or an
     * http:// / https:// URL. The URI returned always has scheme, host and port.
     */
    public static URI parse(String address) {
        String a = address.trim();
        boolean url = a.startsWith("http://") || a.startsWith("https://");
        URI u;
        try {
            u = new URI(url ? a : "http://" + a);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not host:port or an http(s):// URL: '" + HostNames.sanitize(a) + "'");
        }
        if (u.getHost() == null || (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/"))
                || u.getQuery() != null || u.getUserInfo() != null) {
            throw new IllegalArgumentException("not host:port or an http(s):// URL (no path, query or user): '"
                    + HostNames.sanitize(a) + "'");
        }
        // a bare host means the agent's HTTP port; a URL without a port, its scheme's port (as Go's client does)
        int port = u.getPort() > 0 ? u.getPort() : !url ? 8500 : u.getScheme().equals("https") ? 443 : 80;
        return URI.create(u.getScheme() + "://" + u.getHost() + ":" + port);
    }
}
