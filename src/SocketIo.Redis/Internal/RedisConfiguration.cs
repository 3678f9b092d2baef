using StackExchange.Redis;

namespace SocketIo.Redis.Internal;

/// <summary>Reads the two ways users write where Redis is: StackExchange.Redis's configuration string, or a URL as in Node.</summary>
internal static class RedisConfiguration
{
    public static ConfigurationOptions Parse(string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        ConfigurationOptions options;
        if (configuration.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || configuration.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            var url = new Uri(configuration);
            options = new ConfigurationOptions();
            options.EndPoints.Add(url.Host, url.IsDefaultPort || url.Port < 0 ? 6379 : url.Port);
            options.Ssl = url.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase);
            if (!string.IsNullOrEmpty(url.UserInfo))
            {
                var parts = url.UserInfo.Split(':', 2);
                if (parts.Length == 2)
                {
                    if (parts[0].Length > 0) options.User = Uri.UnescapeDataString(parts[0]);
                    options.Password = Uri.UnescapeDataString(parts[1]);
                }
                else
                {
                    options.Password = Uri.UnescapeDataString(parts[0]);
                }
            }
            var path = url.AbsolutePath.Trim('/');
            if (path.Length > 0) options.DefaultDatabase = int.Parse(path, System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        // A node starts, and serves its own clients, while Redis is unreachable; it joins the cluster once Redis is
        // back. Commands fail at once during an outage rather than queue up for later.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        // Back in the cluster soon after Redis is: Node's redis client retries within half a second too.
        options.ReconnectRetryPolicy = new LinearRetry(500);
        return options;
    }
}
