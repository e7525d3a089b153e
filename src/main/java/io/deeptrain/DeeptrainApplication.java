package io.deeptrain;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class DeeptrainApplication {

  public static void main(String[] args) {
    SpringApplication.run(DeeptrainApplication.class, args);
  }
}
