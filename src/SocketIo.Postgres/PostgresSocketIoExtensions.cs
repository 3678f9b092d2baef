using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using SocketIo.Postgres.Internal;

namespace SocketIo.Postgres;

/// <summary>Sets up the PostgreSQL adapter (<see cref="PostgresAdapter"/>).</summary>
public static class PostgresSocketIoExtensions
{
    /// <summary>Uses the PostgreSQL adapter on <paramref name="connectionString"/> (an Npgsql connection string), with the default options.</summary>
    public static SocketIoOptions UsePostgresAdapter(this SocketIoOptions options, string connectionString) =>
        options.UsePostgresAdapter(connectionString, configure: null);

    /// <summary>Uses the PostgreSQL adapter on <paramref name="connectionString"/> (an Npgsql connection string), with the options <paramref name="configure"/> sets.</summary>
    public static SocketIoOptions UsePostgresAdapter(this SocketIoOptions options, string connectionString, Action<PostgresAdapterOptions>? configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return options.UsePostgresAdapter(Configured(new PostgresAdapterOptions { ConnectionString = connectionString }, configure));
    }

    /// <summary>Uses the PostgreSQL adapter on a shared <paramref name="dataSource"/> (not disposed by the adapter), with the default options.</summary>
    public static SocketIoOptions UsePostgresAdapter(this SocketIoOptions options, NpgsqlDataSource dataSource) =>
        options.UsePostgresAdapter(dataSource, configure: null);

    /// <summary>Uses the PostgreSQL adapter on a shared <paramref name="dataSource"/> (not disposed by the adapter), with the options <paramref name="configure"/> sets.</summary>
    public static SocketIoOptions UsePostgresAdapter(this SocketIoOptions options, NpgsqlDataSource dataSource, Action<PostgresAdapterOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return options.UsePostgresAdapter(Configured(new PostgresAdapterOptions { DataSource = dataSource }, configure));
    }

    /// <summary>Uses the PostgreSQL adapter with <paramref name="adapterOptions"/> (validated here).</summary>
    public static SocketIoOptions UsePostgresAdapter(this SocketIoOptions options, PostgresAdapterOptions adapterOptions)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(adapterOptions);
        adapterOptions.Validate();
        PostgresPubSub? shared = null;
        var sync = new object();
        options.AdapterFactory = nsp =>
        {
            PostgresPubSub pubSub;
            lock (sync)
            {
                if (shared is null)
                {
                    var owned = adapterOptions.DataSource is null;
                    var dataSource = adapterOptions.DataSource ?? NpgsqlDataSource.Create(adapterOptions.ConnectionString!);
                    shared = new PostgresPubSub(dataSource, owned, adapterOptions, nsp.Server.Logger);
                }
                pubSub = shared;
            }
            return new PostgresAdapter(nsp, pubSub, adapterOptions, async closing =>
            {
                // The last namespace closed: the listening connection goes; a namespace made later starts another.
                lock (sync)
                {
                    if (shared == closing) shared = null;
                }
                await closing.DisposeAsync().ConfigureAwait(false);
            });
        };
        return options;
    }

    /// <summary>
    /// Registers the PostgreSQL adapter the ASP.NET Core way: configured by <paramref name="configure"/>, on the
    /// <see cref="NpgsqlDataSource"/> from DI when neither a connection string nor a data source is set.
    /// </summary>
    public static IServiceCollection AddSocketIoPostgresAdapter(this IServiceCollection services, Action<PostgresAdapterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IConfigureOptions<SocketIoOptions>>(provider => new ConfigureOptions<SocketIoOptions>(options =>
        {
            var settings = Configured(new PostgresAdapterOptions(), configure);
            if (settings.DataSource is null && string.IsNullOrWhiteSpace(settings.ConnectionString))
                settings.DataSource = provider.GetRequiredService<NpgsqlDataSource>();
            options.UsePostgresAdapter(settings);
        }));
        return services;
    }

    private static PostgresAdapterOptions Configured(PostgresAdapterOptions settings, Action<PostgresAdapterOptions>? configure)
    {
        configure?.Invoke(settings);
        return settings;
    }
}
