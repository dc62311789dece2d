package io.ep2camel.pipeline;

import io.ep2camel.reload.ConfigFiles;
import io.ep2camel.reload.HaproxyCheck;
import io.ep2camel.reload.HaproxyControl;
import io.ep2camel.reload.ServerStateFile;
import io.ep2camel.render.HaproxyConfigRenderer;
import io.ep2camel.runtime.RuntimeUpdate;

/** The stage beans the pipeline's routes call, one per step: render, validate, write, reload, plan. */
public record Stages(HaproxyConfigRenderer renderer, HaproxyCheck check, ConfigFiles files, HaproxyControl control,
                     RuntimeUpdate runtime, ServerStateFile serverState) {
    /** Without saving the servers' state before reloads. */
    public Stages(HaproxyConfigRenderer renderer, HaproxyCheck check, ConfigFiles files, HaproxyControl control,
                  RuntimeUpdate runtime) {
        this(renderer, check, files, control, runtime, new ServerStateFile(false));
    }
}
