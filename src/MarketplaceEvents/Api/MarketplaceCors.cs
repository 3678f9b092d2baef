using MarketplaceEvents.Configuration;

namespace MarketplaceEvents.Api;

/// <summary>
/// The one CORS policy of the service, from <c>Realtime:CorsOrigins</c>: ASP.NET Core's CORS middleware answers for the
/// REST API and the Socket.IO endpoint alike, preflights included, so the engine's own CORS options stay unset (two
/// sources answered a preflight and the request it cleared differently). Credentials are allowed: socket.io-client's
/// <c>withCredentials</c> needs them for a load balancer's sticky-session cookie.
/// </summary>
internal static class MarketplaceCors
{
    public static void Add(IServiceCollection services, RealtimeOptions realtime)
    {
        if (realtime.CorsOrigins.Length == 0) return;
        services.AddCors(o => o.AddDefaultPolicy(p => p.WithOrigins(realtime.CorsOrigins).AllowAnyHeader().AllowAnyMethod().AllowCredentials()));
    }

    /// <summary>Before the endpoints: a preflight is answered here, and every answer gets the policy's headers.</summary>
    public static void Use(IApplicationBuilder app, RealtimeOptions realtime)
    {
        if (realtime.CorsOrigins.Length > 0) app.UseCors();
    }
}
