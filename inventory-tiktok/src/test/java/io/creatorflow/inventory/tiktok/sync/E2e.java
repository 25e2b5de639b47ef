package io.creatorflow.inventory.tiktok.sync;

import io.creatorflow.inventory.testkit.tiktok.NoDelaySocketFactory;
import io.creatorflow.inventory.testkit.tiktok.TikTokShopEmulator;
import io.creatorflow.inventory.tiktok.TikTokCredentials;
import io.creatorflow.inventory.tiktok.TikTokShopApi;
import io.creatorflow.inventory.tiktok.TikTokShopClient;
import io.creatorflow.inventory.tiktok.TikTokShopConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;

/** Shared set-up of the end-to-end sync tests: the real TikTok client against the emulator. */
final class E2e {
  private E2e() {}

  /** One HTTP client for all tests; sockets without Nagle's algorithm (local servers answer in two writes). */
  static final OkHttpClient HTTP = new OkHttpClient.Builder().socketFactory(new NoDelaySocketFactory()).build();

  /** The API on the emulator, with the emulator's credentials. */
  static TikTokShopApi api(TikTokShopEmulator emu, Clock clock, UnaryOperator<TikTokShopConfig.Builder> config) {
    TikTokShopConfig.Builder b = TikTokShopConfig.builder().appKey(emu.appKey()).appSecret(emu.appSecret())
        .baseUrl(emu.baseUrl()).authBaseUrl(emu.baseUrl());
    return TikTokShopApi.builder(config.apply(b).build())
        .httpClient(HTTP)
        .clock(clock)
        .credentials(new TikTokCredentials(emu.accessToken(), emu.accessTokenExpiresAt(), emu.refreshToken(),
            Instant.now().plus(Duration.ofDays(300))), c -> {})
        .build();
  }

  static TikTokShopClient client(TikTokShopApi api, TikTokShopEmulator emu) {
    return TikTokShopClient.builder(api, emu.shopCipher()).build();
  }

}
