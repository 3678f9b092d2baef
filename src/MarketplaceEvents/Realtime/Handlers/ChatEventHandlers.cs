using System.Text.Json;
using MarketplaceEvents.Configuration;
using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Services;
using MarketplaceEvents.Validation;
using Microsoft.Extensions.Options;
using SocketIo;

namespace MarketplaceEvents.Realtime.Handlers;

/// <summary><c>chat.send</c>, <c>chat.batch</c>, <c>chat.history</c> and <c>chat.status</c>.</summary>
internal sealed class ChatEventHandlers(EventRouter router, ChatService chat, IOptions<LimitsOptions> limits) : IEventHandlerGroup
{
    public void Register(SocketIoSocket socket)
    {
        router.On<ChatSendRequest>(socket, EventNames.ChatSend, ChatSendRequest.Read, async (context, request) =>
        {
            var result = await chat.SendAsync(context.User, request, context.Socket.DisconnectToken).ConfigureAwait(false);
            if (result.Succeeded) context.Reply(new ChatSendAck(result.Value));
            else context.Fail(result.Error, request.ConversationId);
        });

        router.On<BatchItem[]>(socket, EventNames.ChatBatch, ReadBatch, SendBatchAsync);

        router.On<ChatHistoryRequest>(socket, EventNames.ChatHistory, ChatHistoryRequest.Read, async (context, request) =>
        {
            var result = await chat.HistoryAsync(context.User, request, context.Socket.DisconnectToken).ConfigureAwait(false);
            if (result.Succeeded) context.Reply(result.Value);
            else context.Fail(result.Error, request.ConversationId);
        });

        router.On<ChatStatusRequest>(socket, EventNames.ChatStatus, ChatStatusRequest.Read, async (context, request) =>
        {
            var result = await chat.UpdateStatusAsync(context.User, request, context.Socket.DisconnectToken).ConfigureAwait(false);
            if (result.Succeeded) context.Reply(AckSuccess.Instance);
            else context.Fail(result.Error, request.ConversationId, request.MessageId);
        });
    }

    /// <summary>
    /// Sends each valid item in order and answers with one result per item, in order: the message, or why that
    /// item was refused. Invalid items are neither stored nor delivered; the others are.
    /// </summary>
    private async Task SendBatchAsync(EventContext context, BatchItem[] items)
    {
        var results = new object[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i];
            if (item.Request is null)
            {
                results[i] = new AckFailure(new AckError(ErrorCodes.InvalidPayload, item.Error!));
                if (!context.HasAck) context.Socket.Emit(EventNames.Error, new ErrorEvent(ErrorCodes.InvalidPayload, item.Error!));
                continue;
            }
            var result = await chat.SendAsync(context.User, item.Request, context.Socket.DisconnectToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                results[i] = new ChatSendAck(result.Value);
            }
            else
            {
                results[i] = new AckFailure(new AckError(result.Error.Code, result.Error.Message));
                if (!context.HasAck) context.Fail(result.Error, item.Request.ConversationId);
            }
        }
        context.Reply(results);
    }

    /// <summary>The batch must be an array of 1 to MaxBatchItems items; each item is read on its own.</summary>
    private bool ReadBatch(JsonElement? payload, out BatchItem[] items, out string error)
    {
        items = [];
        var max = limits.Value.MaxBatchItems;
        if (payload is not { ValueKind: JsonValueKind.Array } array)
        {
            error = "payload must be an array of chat.send payloads";
            return false;
        }
        var length = array.GetArrayLength();
        if (length < 1 || length > max)
        {
            error = $"payload must hold between 1 and {max} messages";
            return false;
        }
        items = array.EnumerateArray()
            .Select((item, i) => PayloadValidation.TryRead(item, ChatSendRequest.Read, out var request, out var itemError)
                ? new BatchItem(request, null)
                : new BatchItem(null, $"[{i}]: {itemError}"))
            .ToArray();
        error = "";
        return true;
    }

    /// <summary>One item of a batch: its request, or why it is invalid.</summary>
    private sealed record BatchItem(ChatSendRequest? Request, string? Error);
}
