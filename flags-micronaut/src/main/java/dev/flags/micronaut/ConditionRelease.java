package dev.flags.micronaut;

import io.micronaut.context.BeanContext;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;

/**
 * Once the application has started, closes what {@link FlagCondition} opened to read the store (a
 * file client, a Redis connection); the answers stay for beans resolved later.
 */
@Singleton
final class ConditionRelease implements ApplicationEventListener<StartupEvent> {

  private final BeanContext beanContext;

  ConditionRelease(BeanContext beanContext) {
    this.beanContext = beanContext;
  }

  @Override
  public void onApplicationEvent(StartupEvent event) {
    FlagCondition.release(beanContext);
  }
}
