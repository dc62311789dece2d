package io.ep2camel.testsupport;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/** Every readable attribute of every MBean of this JVM as text: where a secret must not be found. */
public final class JmxText {
    private JmxText() {
    }

    public static String all() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        StringBuilder all = new StringBuilder();
        for (ObjectName name : jmx.queryNames(null, null)) {
            for (MBeanAttributeInfo a : jmx.getMBeanInfo(name).getAttributes()) {
                if (!a.isReadable()) {
                    continue;
                }
                try {
                    Object v = jmx.getAttribute(name, a.getName());
                    all.append(v instanceof Object[] arr ? Arrays.deepToString(arr) : String.valueOf(v)).append('\n');
                } catch (Exception | Error e) {
                    // not readable: not shown either
                }
            }
        }
        return all.toString();
    }
}
