package io.ep2camel.fetch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * The ACL token each call carries: acl_token as given, or the content of token_file, re-read
 * whenever the file's modification time or size changes, so a token rotated by Vault agent,
 * consul-template or an operator is used from the next call on, without a restart. A file
 * that cannot be read (mid-rotation, removed) keeps the last token and is tried again next call.
 * The token itself is never logged, and {@link #toString()} does not show it.
 */
public final class ConsulToken {
    private static final Logger LOG = LoggerFactory.getLogger(ConsulToken.class);

    private final Optional<String> fixed;
    private final Optional<Path> file;
    private FileTime seenModified;
    private long seenSize = -1;
    private Optional<String> fromFile = Optional.empty();

    public ConsulToken(Optional<String> fixed, Optional<Path> file) {
        this.fixed = fixed.filter(t -> !t.isEmpty());
        this.file = this.fixed.isPresent() ? Optional.empty() : file; // acl_token wins, as with the consul CLI
    }

    public static ConsulToken none() {
        return new ConsulToken(Optional.empty(), Optional.empty());
    }

    public boolean isSet() {
        return fixed.isPresent() || file.isPresent();
    }

    /** The token for the next call, the file re-read when it changed. */
    public synchronized Optional<String> current() {
        if (fixed.isPresent() || file.isEmpty()) {
            return fixed;
        }
        Path p = file.get();
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (!a.lastModifiedTime().equals(seenModified) || a.size() != seenSize) {
                String t = Files.readString(p, StandardCharsets.UTF_8).strip();
                boolean rotated = seenSize >= 0;
                seenModified = a.lastModifiedTime();
                seenSize = a.size();
                if (t.isEmpty() || !t.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                    LOG.warn("token_file {} holds no usable token (empty or not printable ASCII); keeping the last one", p);
                } else {
                    fromFile = Optional.of(t);
                    if (rotated) {
                        LOG.info("token_file {} changed: the new ACL token is used from the next Consul call on", p);
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("token_file {} cannot be read ({}); keeping the last token", p, e.getClass().getSimpleName());
        }
        return fromFile;
    }

    @Override
    public String toString() {
        return fixed.isPresent() ? "acl token set" : file.map(p -> "token file " + p).orElse("no acl token");
    }
}
