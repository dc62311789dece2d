package io.ep2camel.reload;

import java.util.List;

/** What a finished command said. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {
    public boolean ok() {
        return exitCode == 0;
    }

    /** HAProxy's own words, for the log and the exception: stderr, or stdout when stderr is empty. */
    public String message() {
        String m = stderr.isBlank() ? stdout : stderr;
        return m.strip();
    }
}
