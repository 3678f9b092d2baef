using System.Runtime.InteropServices;
using System.Text.Json;
using MarketplaceEvents.Configuration;
using MarketplaceEvents.Contracts;
using MarketplaceEvents.Limits;
using MarketplaceEvents.Services;
using MarketplaceEvents.Validation;
using Microsoft.Extensions.Options;
using SocketIo;

namespace MarketplaceEvents.Realtime;

/// <summary>
/// Registers the contract's event handlers on a socket, each behind the same checks, in this order: the rate limit
/// (a socket middleware, so it counts every event, known or not), authentication, the payload size limit and the
/// schema. A handler only ever sees a valid request from an authenticated, non-limited socket, one event at a time.
/// </summary>
internal sealed partial class EventRouter(IOptions<LimitsOptions> limits, RealtimeCounters counters, TimeProvider time, ILogger<EventRouter> logger)
{
    /// <summary>
    /// Installs the per-connection event rate limit. It stays on the node, also in a cluster: a connection lives on
    /// one node, so the node sees all of its events, and a shared counter would cost a Redis round trip per event.
    /// </summary>
    public void UseRateLimit(SocketIoSocket socket, ConnectionState state)
    {
        socket.Use((e, _) =>
        {
            counters.EventReceived();
            if (state.EventLimiter.TryAcquire(out var wait)) return ValueTask.CompletedTask;

            counters.EventRateLimited();
            var retryAfter = RetryAfter.Seconds(wait);
            new EventContext(e, state, time).Reject(ErrorCodes.RateLimit, $"Too many events: at most {limits.Value.EventsPerWindow} per {limits.Value.EventWindow.TotalSeconds:0.###} s", retryAfter);
            // Throwing refuses the event: none of its handlers run, so nothing is half-processed.
            throw new EventRateLimitedException(e.Name);
        });
    }

    /// <summary>Registers a handler for an event whose payload is one JSON object read by <paramref name="schema"/>.</summary>
    public void On<T>(SocketIoSocket socket, string eventName, Func<PayloadReader, T?> schema, Func<EventContext, T, Task> handle, bool requiresAuth = true)
        where T : class =>
        On(socket, eventName, (JsonElement? payload, out T request, out string error) => PayloadValidation.TryRead(payload, schema, out request, out error), handle, requiresAuth);

    /// <summary>Registers a handler for an event whose payload <paramref name="parse"/> reads.</summary>
    public void On<T>(SocketIoSocket socket, string eventName, PayloadParser<T> parse, Func<EventContext, T, Task> handle, bool requiresAuth = true)
    {
        var maxBytes = limits.Value.PayloadLimit(eventName);
        socket.On(eventName, async e =>
        {
            var state = (ConnectionState)socket.Data!;
            var context = new EventContext(e, state, time);
            if (requiresAuth && !state.IsAuthenticated)
            {
                context.Reject(ErrorCodes.AuthFailed, $"Not authenticated: send the '{EventNames.Auth}' event with a token first");
                return;
            }

            var payload = e.Args.Count > 0 ? e.Args[0] : (JsonElement?)null;
            var size = PayloadSize(e.Args);
            if (size > maxBytes)
            {
                counters.EventInvalid();
                context.Reject(ErrorCodes.InvalidPayload, $"{eventName} payload is {size} bytes; the limit is {maxBytes}");
                return;
            }
            if (!parse(payload, out var request, out var error))
            {
                counters.EventInvalid();
                Log.InvalidPayload(logger, socket.Id, eventName, error);
                context.Reject(ErrorCodes.InvalidPayload, error);
                return;
            }

            try
            {
                await state.Gate.WaitAsync(socket.DisconnectToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The socket disconnected while the event waited for its turn: nobody is left to answer.
                return;
            }
            if (!socket.Connected)
            {
                // Refused while the event waited (at the connection limit, say): nothing of it runs.
                state.Gate.Release();
                return;
            }
            try
            {
                await handle(context, request).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !socket.DisconnectToken.IsCancellationRequested)
            {
                Log.HandlerFailed(logger, socket.Id, eventName, ex);
                context.Fail(new MarketplaceError(ErrorCodes.InternalError, "The server could not process the event", StatusCodes.Status500InternalServerError));
            }
            catch (OperationCanceledException)
            {
                // The socket went away mid-way; its work stops with it.
            }
            finally
            {
                state.Gate.Release();
            }
        });
    }

    /// <summary>The size of the arguments as received: their JSON text plus any binary attachments.</summary>
    private static long PayloadSize(SocketIoArguments args)
    {
        long size = 0;
        foreach (var argument in args) size += JsonMarshal.GetRawUtf8Value(argument).Length;
        foreach (var attachment in args.Attachments) size += attachment.Length;
        return size;
    }
}
