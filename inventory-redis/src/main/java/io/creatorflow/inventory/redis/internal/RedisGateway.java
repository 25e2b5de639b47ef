package io.creatorflow.inventory.redis.internal;

import io.creatorflow.inventory.StoreUnavailableException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs commands and scripts on a host-supplied Lettuce connection (standalone, Sentinel, master /
 * replica or Cluster: all of them offer {@link RedisClusterAsyncCommands}).
 *
 * <p>Every call is sent with the asynchronous API, so callers on many threads share the one
 * multiplexed connection and their commands are pipelined; each caller then waits at most the
 * command timeout. A command that times out is cancelled: if Lettuce still holds it (for example
 * while reconnecting) it is never sent. Every Lettuce failure is thrown as {@link
 * StoreUnavailableException} with the Lettuce exception as its cause.
 *
 * <p>Thread-safe.
 */
public final class RedisGateway {
  private final RedisClusterAsyncCommands<String, String> commands;
  private final long timeoutNanos;
  private final Duration timeout;

  public RedisGateway(RedisClusterAsyncCommands<String, String> commands, Duration timeout) {
    this.commands = commands;
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
  }

  /** Runs a script by SHA, sending its text once if the server does not know it. */
  public <T> T eval(Script script, ScriptOutputType type, String[] keys, String... args) {
    long deadline = System.nanoTime() + timeoutNanos;
    try {
      Pending<T> pending = submit(script, type, keys, args);
      return awaitRaw(pending.future, script.fileName(), deadline);
    } catch (NoScript e) {
      return evalText(script, type, keys, args, deadline);
    }
  }

  /**
   * Sends a script now and returns its pending reply; {@link #await(Pending)} collects it. For
   * fan-outs (one script per tenant), which Lettuce pipelines.
   */
  public <T> Pending<T> submit(Script script, ScriptOutputType type, String[] keys, String... args) {
    RedisFuture<T> future = call("EVALSHA " + script.fileName(), c -> c.evalsha(script.sha(), type, keys, args));
    return new Pending<>(script, type, keys, args, future);
  }

  /** Waits for a submitted script's reply. */
  public <T> T await(Pending<T> pending) {
    long deadline = System.nanoTime() + timeoutNanos;
    try {
      return awaitRaw(pending.future, pending.script.fileName(), deadline);
    } catch (NoScript e) {
      return evalText(pending.script, pending.type, pending.keys, pending.args, deadline);
    }
  }

  private <T> T evalText(Script script, ScriptOutputType type, String[] keys, String[] args, long deadline) {
    RedisFuture<T> future = call("EVAL " + script.fileName(), c -> c.eval(script.text(), type, keys, args));
    try {
      return awaitRaw(future, script.fileName(), deadline);
    } catch (NoScript e) {
      throw new StoreUnavailableException("Redis refused script " + script.fileName(), e.getCause());
    }
  }

  /** Runs a plain command. */
  public <T> T command(String name, Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
    RedisFuture<T> future = call(name, command);
    try {
      return awaitRaw(future, name, System.nanoTime() + timeoutNanos);
    } catch (NoScript e) {
      throw new StoreUnavailableException("Redis answered NOSCRIPT to " + name, e.getCause());
    }
  }

  private <T> RedisFuture<T> call(String name, Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
    try {
      return command.apply(commands);
    } catch (RuntimeException e) {
      throw unavailable(name, e);
    }
  }

  private <T> T awaitRaw(RedisFuture<T> future, String name, long deadline) throws NoScript {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RedisNoScriptException) {
        throw new NoScript(cause);
      }
      throw unavailable(name, cause);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new StoreUnavailableException(name + ": no reply from Redis within " + timeout, e);
    } catch (CancellationException e) {
      throw new StoreUnavailableException(name + ": the command was cancelled", e);
    } catch (InterruptedException e) {
      future.cancel(false);
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException(name + ": interrupted while waiting for Redis", e);
    }
  }

  private static StoreUnavailableException unavailable(String name, Throwable cause) {
    return new StoreUnavailableException(name + " failed: " + cause.getMessage(), cause);
  }

  /** A submitted command whose reply has not been collected yet. */
  public static final class Pending<T> {
    private final Script script;
    private final ScriptOutputType type;
    private final String[] keys;
    private final String[] args;
    private final RedisFuture<T> future;

    Pending(Script script, ScriptOutputType type, String[] keys, String[] args, RedisFuture<T> future) {
      this.script = script;
      this.type = type;
      this.keys = keys;
      this.args = args;
      this.future = future;
    }
  }

  /** NOSCRIPT: the server does not have the script cached. */
  private static final class NoScript extends Exception {
    private static final long serialVersionUID = 1L;

    NoScript(Throwable cause) {
      super(cause);
    }
  }
}
