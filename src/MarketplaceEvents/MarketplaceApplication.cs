using System.Text.Json;
using System.Text.Json.Serialization;
using MarketplaceEvents.Api;
using MarketplaceEvents.Auth;
using MarketplaceEvents.Cluster;
using MarketplaceEvents.Configuration;
using MarketplaceEvents.Realtime;
using MarketplaceEvents.Realtime.Handlers;
using MarketplaceEvents.Realtime.PlainApis;
using MarketplaceEvents.Services;
using MarketplaceEvents.Operations;
using MarketplaceEvents.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SocketIo;
using SocketIo.AdminUi;

namespace MarketplaceEvents;

/// <summary>
/// Builds the service: configuration, storage (schema brought up to date before the first request), the REST API
/// and the Socket.IO hub. Program.cs runs it; the tests start it the same way on a loopback port.
/// </summary>
internal static class MarketplaceApplication
{
    public const string DefaultUrl = "http://localhost:3000";

    public static async Task<WebApplication> CreateAsync(string[] args)
    {
        // The content root is the program's folder, so appsettings.json is found whatever the working directory;
        // relative paths in the configuration (Storage:Sqlite) stay relative to the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var configuration = builder.Configuration;
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var limits = configuration.GetSection(LimitsOptions.Section).Get<LimitsOptions>() ?? new LimitsOptions();
        var realtime = configuration.GetSection(RealtimeOptions.Section).Get<RealtimeOptions>() ?? new RealtimeOptions();
        var adminUi = configuration.GetSection(AdminUiSettings.Section).Get<AdminUiSettings>() ?? new AdminUiSettings();
        var problems = limits.Validate().ToArray();
        if (problems.Length > 0) throw new InvalidOperationException("Invalid configuration: " + string.Join(" ", problems));

        var services = builder.Services;
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(auth));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(limits));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(realtime));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(SigningKeys.Create(auth));
        services.AddSingleton<TokenValidator>();
        services.AddStorage(storage);

        services.AddSingleton<ConnectionRegistry>();
        services.AddClusterState(realtime);
        services.AddSingleton<RealtimeCounters>();
        services.AddSingleton<IRealtimeEmitter, SocketIoRealtimeEmitter>();
        services.AddSingleton<ConversationService>();
        services.AddSingleton<ChatService>();
        services.AddSingleton<PresenceService>();
        services.AddSingleton<ListingService>();
        services.AddSingleton<OrderService>();
        services.AddSingleton<NotificationService>();

        services.AddSingleton<EventRouter>();
        services.AddSingleton<ConnectionGate>();
        services.AddSingleton<SocketSessions>();
        services.AddSingleton<MarketplaceHub>();
        services.AddSingleton<IEventHandlerGroup, ConnectionEventHandlers>();
        services.AddSingleton<IEventHandlerGroup, ChatEventHandlers>();
        services.AddSingleton<IEventHandlerGroup, PresenceEventHandlers>();
        services.AddSingleton<IEventHandlerGroup, ListingEventHandlers>();
        services.AddSingleton<IEventHandlerGroup, NotificationEventHandlers>();
        services.AddPlainWebSocketApis(configuration);
        services.AddHostedService<AppPingService>();
        services.AddHostedService<StartupBanner>();
        services.AddOperations(realtime);

        // Nothing here protects data (no cookies, no antiforgery), but authentication pulls the key ring in:
        // kept in memory, it neither writes keys to the user's profile nor warns about them.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ApiProblems.Describe);
        services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(AuthPolicies.Add);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);
        MarketplaceCors.Add(services, realtime);

        services.AddSocketIo(options =>
        {
            options.JsonSerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web)
            {
                DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            };
            options.PingInterval = realtime.PingInterval;
            options.PingTimeout = realtime.PingTimeout;
            // The largest event payload allowed, with room for the packet around it.
            options.MaxHttpBufferSize = Math.Max(EngineIo.EngineIoOptions.DefaultMaxHttpBufferSize, limits.PayloadBytes.Values.Append(limits.MaxPayloadBytes).Max() + 64 * 1024);
            // CORS: the service's one policy (MarketplaceCors), not the engine's options.
            // A short network drop loses nothing: the client resumes its socket (id, rooms) and gets the events it
            // missed. The connection gate still runs for a resumed socket, so its token is checked again (it may have
            // expired meanwhile) and it gets a fresh per-socket state.
            options.ConnectionStateRecovery = new() { MaxDisconnectionDuration = realtime.RecoveryWindow, SkipMiddlewares = false };
            // Several instances behind a load balancer share their broadcasts through Redis.
            // With Realtime:RedisStreams, over Redis Streams: sessions are kept in Redis and survive their instance.
            if (!string.IsNullOrWhiteSpace(realtime.Redis))
            {
                if (realtime.RedisStreams) SocketIo.Redis.RedisSocketIoExtensions.UseRedisStreamsAdapter(options, realtime.Redis);
                else SocketIo.Redis.RedisSocketIoExtensions.UseRedisAdapter(options, realtime.Redis);
            }
        });

        var app = builder.Build();
        await app.Services.GetRequiredService<IMarketplaceDatabase>().InitializeAsync().ConfigureAwait(false);

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // The admin UI's own files, served from this origin: the UI then needs no CORS settings.
        var adminUiFolder = adminUi.ResolveFolder();
        if (adminUiFolder is not null) app.UseSocketIoAdminUi(adminUi.Path, adminUiFolder);
        MarketplaceCors.Use(app, realtime);
        // The page at / (wwwroot: index.html, its script and the vendored socket.io-client bundle).
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();

        var hub = app.Services.GetRequiredService<MarketplaceHub>();
        app.MapSocketIo(io =>
        {
            hub.Attach(io);
            if (!string.IsNullOrEmpty(adminUi.PasswordHash))
            {
                io.Instrument(new AdminUiOptions
                {
                    NamespaceName = adminUi.Namespace,
                    Auth = new AdminUiBasicAuthentication(adminUi.Username, adminUi.PasswordHash),
                    ReadOnly = adminUi.ReadOnly,
                    Mode = adminUi.Mode,
                    // The per-socket state holds locks and limiters: the UI is shown who the socket is, nothing more.
                    DataSelector = socket => socket.Data is ConnectionState { User: { } user } ? new { userId = user.Id, name = user.Name, role = user.Role } : null,
                }, app.Services.GetRequiredService<ILoggerFactory>());
            }
        });

        var time = app.Services.GetRequiredService<TimeProvider>();
        HealthEndpoints.Map(app, time.GetUtcNow(), time);
        app.MapOperations();
        ConversationEndpoints.Map(app);
        ListingEndpoints.Map(app);
        OrderEndpoints.Map(app);
        NotificationEndpoints.Map(app);
        PresenceEndpoints.Map(app);
        DevelopmentEndpoints.Map(app, app.Services.GetRequiredService<SigningKeys>());
        app.MapPlainWebSocketApis();
        return app;
    }
}
