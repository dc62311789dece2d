package io.ep2camel.render;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Renders the HAProxy template. EP2 templates are Jinja ({@code {{nodes}}}) and go through
 * Jinjava; a template whose name ends in {@code .ftl} goes through FreeMarker. The template
 * is read on every render so an operator's edit is picked up on the next change.
 */
public final class TemplateRenderer {
    private final Path template;
    /**
     * Made on a thread of its own from the constructor, taken at the first Jinja render: Jinjava's
     * set-up (its filters, functions and tags, with Jackson and Guava) was 5-8 % of the main
     * thread's samples in JFR profiles of a start-up with the unit's flags; this way it runs on
     * the second core while Camel starts.
     */
    private final CompletableFuture<Jinjava> jinjava = new CompletableFuture<>();
    /** Made on the first .ftl render: an EP2 (Jinja) template never loads FreeMarker's ~170 classes. */
    private Configuration freemarker;

    public TemplateRenderer(Path template) {
        this.template = template;
        if (!isFreemarker()) {
            Thread t = new Thread(this::makeJinjava, "ep2-jinjava-start");
            t.setDaemon(true);
            t.start();
        }
    }

    private void makeJinjava() {
        try {
            jinjava.complete(new Jinjava());
        } catch (RuntimeException | Error e) {
            jinjava.completeExceptionally(e);
        }
    }

    private boolean isFreemarker() {
        return template.toString().endsWith(".ftl");
    }

    private synchronized Configuration freemarker() {
        if (freemarker == null) {
            freemarker = new Configuration(Configuration.VERSION_2_3_32);
            freemarker.setNumberFormat("computer"); // ports as 12345, never a locale's 12,345
        }
        return freemarker;
    }

    /** @param model variables: {@code nodes} (the server lines) and whatever else the caller offers */
    public String render(Map<String, Object> model) throws RenderException {
        String text;
        try {
            text = Files.readString(template);
        } catch (IOException e) {
            throw new RenderException("cannot read template " + template + ": " + e.getMessage(), e);
        }
        return isFreemarker() ? renderFreemarker(text, model) : renderJinja(text, model);
    }

    private String renderJinja(String text, Map<String, Object> model) throws RenderException {
        RenderResult result;
        try {
            result = jinjava.join().renderForResult(text, model);
        } catch (CompletionException e) {
            throw new IllegalStateException("Jinjava could not start: " + e.getCause(), e.getCause());
        }
        List<TemplateError> fatal = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL).toList();
        if (!fatal.isEmpty()) {
            TemplateError e = fatal.get(0);
            throw new RenderException("template " + template + " line " + e.getLineno() + ": " + e.getMessage(), null);
        }
        return result.getOutput();
    }

    private String renderFreemarker(String text, Map<String, Object> model) throws RenderException {
        try {
            Template t = new Template(template.getFileName().toString(), new StringReader(text), freemarker());
            StringWriter out = new StringWriter();
            t.process(model, out);
            return out.toString();
        } catch (IOException | TemplateException e) {
            throw new RenderException("template " + template + ": " + e.getMessage(), e);
        }
    }

    /** The template could not be read or rendered; nothing was written. */
    public static final class RenderException extends Exception {
        public RenderException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
