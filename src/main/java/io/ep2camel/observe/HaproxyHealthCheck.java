package io.ep2camel.observe;

import io.ep2camel.reload.HaproxyControl;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Ready while HAProxy answers {@code show info} on every stats socket the controller works
 * through (UNIX or TCP, through the haproxy-socket endpoint); without one (update_by_config),
 * while its processes run.
 */
public class HaproxyHealthCheck extends AbstractHealthCheck {
    private final Optional<String> socketUri;
    private final HaproxyControl control;
    private ProducerTemplate template;

    /** @param socketUri the haproxy-socket endpoint of every stats socket, or empty to check the processes */
    public HaproxyHealthCheck(Optional<String> socketUri, HaproxyControl control) {
        super("ep2", "ep2-haproxy");
        this.socketUri = socketUri;
        this.control = control;
    }

    @Override
    public boolean isLiveness() {
        return false; // the controller restarts HAProxy itself; restarting the controller would not help
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            if (socketUri.isEmpty()) {
                builder.detail("check", "process");
                if (control.isRunning()) {
                    builder.up();
                } else {
                    builder.message("HAProxy is not running").down();
                }
                return;
            }
            builder.detail("socket", socketUri.get());
            template().requestBody(socketUri.get(), "show info");
            builder.up();
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            builder.message(cause.getMessage()).error(cause).down();
        } catch (RuntimeException | IOException e) {
            builder.message(e.getMessage()).error(e).down();
        }
    }

    private synchronized ProducerTemplate template() {
        if (template == null) {
            template = getCamelContext().createProducerTemplate();
        }
        return template;
    }
}
