package io.deeptrain.compute;

import io.deeptrain.compute.BackendInfo.Backend;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ComputeConfiguration {

  /**
   * Bean factory post-processors run before any singleton is created, so the helper switch is set
   * before any bean of any package can build a network, whatever order the beans come in.
   */
  @Bean
  static BeanFactoryPostProcessor enableLayerHelpers() {
    return beanFactory -> OneDnn.enableLayerHelpers();
  }

  @Bean
  DeviceInventory deviceInventory(ComputeBackend compute) {
    return compute.info().backend() == Backend.CUDA ? new CudaDevices() : new CpuDevices();
  }

  @Bean
  DeviceBinder deviceBinder() {
    return DeviceBinder.nd4j();
  }
}
