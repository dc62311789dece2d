package io.ep2camel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdleHeapTest {
    @Test
    void theJvmOnThisMachineTrimsItsNativeHeapOnRequest() {
        // Linux/glibc and a JDK 17 with System.trim_native_heap: the controller's idle RSS depends on it
        assertThat(IdleHeap.trimNativeHeap()).isTrue();
    }
}
