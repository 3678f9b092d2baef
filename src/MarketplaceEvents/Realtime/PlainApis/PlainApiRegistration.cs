using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MarketplaceEvents.Realtime.PlainApis;

/// <summary>The older marketplace's plain WebSocket APIs (and the buying pools their feed reports on), registered and mapped with one call each.</summary>
internal static class PlainApiRegistration
{
    /// <summary>Registers the feeds, and wraps the registered <see cref="IRealtimeEmitter"/> so that events reach them too.</summary>
    public static IServiceCollection AddPlainWebSocketApis(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(configuration.GetSection(BulkBuyingFeedOptions.Section).Get<BulkBuyingFeedOptions>() ?? new BulkBuyingFeedOptions()));
        services.AddSingleton<BulkBuyingFeed>();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(configuration.GetSection(ChatDeliveryOptions.Section).Get<ChatDeliveryOptions>() ?? new ChatDeliveryOptions()));
        services.AddSingleton<ChatDeliveryApi>();
        services.AddSingleton<StoreDashboardFeed>();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(configuration.GetSection(LearningGuideOptions.Section).Get<LearningGuideOptions>() ?? new LearningGuideOptions()));
        services.AddSingleton<LearningGuideSockets>();
        services.AddSingleton<Services.PoolService>();
        services.AddSingleton<Handlers.IEventHandlerGroup, Handlers.PoolEventHandlers>();
        var existing = services.LastOrDefault(d => d.ServiceType == typeof(IRealtimeEmitter))
            ?? throw new InvalidOperationException("Register the realtime emitter before the plain WebSocket APIs.");
        services.Remove(existing);
        services.AddSingleton<IRealtimeEmitter>(provider => new FeedRealtimeEmitter(
            (IRealtimeEmitter)(existing.ImplementationInstance
                ?? existing.ImplementationFactory?.Invoke(provider)
                ?? ActivatorUtilities.CreateInstance(provider, existing.ImplementationType!)),
            provider.GetRequiredService<BulkBuyingFeed>(),
            provider.GetRequiredService<ChatDeliveryApi>(),
            provider.GetRequiredService<StoreDashboardFeed>(),
            provider.GetRequiredService<LearningGuideSockets>()));
        return services;
    }

    /// <summary>Maps the plain WebSocket endpoints (after <c>MapSocketIo</c>).</summary>
    public static void MapPlainWebSocketApis(this WebApplication app)
    {
        app.Services.GetRequiredService<BulkBuyingFeed>().Map(app);
        app.Services.GetRequiredService<ChatDeliveryApi>().Map(app);
        app.Services.GetRequiredService<StoreDashboardFeed>().Map(app);
        app.Services.GetRequiredService<LearningGuideSockets>().Map(app);
        Api.PoolEndpoints.Map(app);
    }
}
