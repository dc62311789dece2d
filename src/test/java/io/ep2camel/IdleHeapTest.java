package io.ep2camel;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class IdleHeapTest {
    @Test
    void theJvmOnThisMachineTrimsItsNativeHeapOnRequest() {
        // Linux/glibc and a JDK 17 with System.trim_native_heap: the controller's idle RSS depends on it
        assertThat(IdleHeap.trimNativeHeap()).isTrue();
    }

    @Test
    void trimsComeOftenWhileTheStartUpSettlesThenEveryFiveMinutes() {
        Duration p = IdleHeap.nextTrimPause(null);
        assertThat(p).isEqualTo(Duration.ofSeconds(15));
        for (Duration expected : new Duration[] {Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
                Duration.ofMinutes(4), Duration.ofMinutes(5), Duration.ofMinutes(5)}) {
            p = IdleHeap.nextTrimPause(p);
            assertThat(p).isEqualTo(expected);
        }
    }
}
