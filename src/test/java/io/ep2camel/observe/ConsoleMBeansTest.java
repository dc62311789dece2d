package io.ep2camel.observe;

import org.apache.camel.CamelContext;
import org.apache.camel.ManagementMBeansLevel;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.management.DefaultManagementObjectStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which contexts get the console's MBeans only: the RoutesOnly default, not an operator's Default. */
class ConsoleMBeansTest {
    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void tearDown() {
        context.stop();
    }

    private Object strategyAfterInstallAt(ManagementMBeansLevel level) {
        context.build();
        context.getManagementStrategy().getManagementAgent().setMBeansLevel(level);
        ConsoleMBeans.installIn(context);
        context.start();
        return context.getManagementStrategy().getManagementObjectStrategy();
    }

    @Test
    void theRoutesOnlyDefaultGetsTheConsolesMBeansOnly() {
        assertThat(strategyAfterInstallAt(ManagementMBeansLevel.RoutesOnly)).isInstanceOf(ConsoleMBeans.class);
    }

    @Test
    void anOperatorWhoAsksForEveryMBeanGetsThemAll() {
        assertThat(strategyAfterInstallAt(ManagementMBeansLevel.Default)).isExactlyInstanceOf(DefaultManagementObjectStrategy.class);
    }
}
