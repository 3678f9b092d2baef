using System.Text.Json;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Validation;

namespace MarketplaceEvents.Tests.Validation;

/// <summary>The schemas of incoming payloads: what they accept, and the sentence each violation produces.</summary>
public sealed class RequestSchemaTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static T Valid<T>(string json, Func<PayloadReader, T?> schema)
        where T : class
    {
        PayloadValidation.TryRead(Json(json), schema, out var request, out string error).Should().BeTrue(error);
        return request;
    }

    private static string Invalid<T>(string? json, Func<PayloadReader, T?> schema)
        where T : class
    {
        PayloadValidation.TryRead<T>(json is null ? null : Json(json), schema, out _, out string error).Should().BeFalse();
        return error;
    }

    [Fact]
    public void AStringWithAnUnpairedSurrogateIsAnInvalidPayloadNotAnException()
    {
        // Valid JSON (a JavaScript client can send it), but no .NET string: the field is refused, like any bad value.
        Invalid("""{"conversationId":"conv_1","content":"a\ud800b"}""", ChatSendRequest.Read).Should().Contain("unpaired surrogate");
        Invalid("""{"conversationId":"c\udc00","content":"hi"}""", ChatSendRequest.Read).Should().Contain("conversationId");
    }

    [Fact]
    public void ChatSendReadsEveryField()
    {
        var request = Valid("""
            {"conversationId":"conv_1","content":"hi","clientMessageId":"c-1","ignored":true,
             "attachments":[{"type":"file","url":"https://x.test/a.pdf","name":"a.pdf","size":10},{"type":"image","url":"http://x.test/i"}]}
            """, ChatSendRequest.Read);
        request.ConversationId.Should().Be("conv_1");
        request.Content.Should().Be("hi");
        request.ClientMessageId.Should().Be("c-1");
        request.Attachments.Should().HaveCount(2);
        request.Attachments[0].Should().Be(new MarketplaceEvents.Domain.MessageAttachment("file", "https://x.test/a.pdf", "a.pdf", 10));
        request.Attachments[1].Name.Should().BeNull();
    }

    [Fact]
    public void ChatSendAllowsAnEmptyContentOnlyWithAttachments()
    {
        Valid("""{"conversationId":"c","content":"","attachments":[{"type":"image","url":"https://x.test/i"}]}""", ChatSendRequest.Read);
        Invalid("""{"conversationId":"c","content":" "}""", ChatSendRequest.Read).Should().Be("content must not be empty when there are no attachments");
    }

    [Theory]
    [InlineData(null, "payload must be a JSON object")]
    [InlineData("[]", "payload must be a JSON object")]
    [InlineData("\"text\"", "payload must be a JSON object")]
    [InlineData("{}", "conversationId is required; content is required")]
    [InlineData("""{"conversationId":null,"content":"x"}""", "conversationId is required")]
    [InlineData("""{"conversationId":"","content":"x"}""", "conversationId must not be empty")]
    [InlineData("""{"conversationId":1,"content":true}""", "conversationId must be a string; content must be a string")]
    [InlineData("""{"conversationId":"c","content":"x","attachments":{}}""", "attachments must be an array")]
    [InlineData("""{"conversationId":"c","content":"x","attachments":[1]}""", "attachments[0] must be a JSON object")]
    [InlineData("""{"conversationId":"c","content":"x","attachments":[{"type":"image","url":"javascript:alert(1)","size":-1}]}""", "attachments[0].url must be an absolute http(s) URL; attachments[0].size must be between 0 and 9223372036854775807")]
    public void ChatSendNamesEachViolation(string? json, string error)
    {
        Invalid(json, ChatSendRequest.Read).Should().Be(error);
    }

    [Fact]
    public void ChatSendBoundsContentAttachmentsAndIds()
    {
        Invalid($$"""{"conversationId":"c","content":"{{new string('x', 10_001)}}"}""", ChatSendRequest.Read).Should().Be("content must be at most 10000 characters");
        var eleven = string.Join(",", Enumerable.Repeat("""{"type":"image","url":"https://x.test/i"}""", 11));
        Invalid($$"""{"conversationId":"c","content":"x","attachments":[{{eleven}}]}""", ChatSendRequest.Read).Should().Be("attachments must have at most 10 items");
        Invalid($$"""{"conversationId":"{{new string('c', 129)}}","content":"x"}""", ChatSendRequest.Read).Should().Be("conversationId must be at most 128 characters");
    }

    [Fact]
    public void ChatHistoryReadsBeforeAsATimestampOrAMessageId()
    {
        var byTime = Valid("""{"conversationId":"c","before":"2030-01-01T10:00:00Z"}""", ChatHistoryRequest.Read);
        byTime.Limit.Should().Be(50);
        byTime.Before!.Time.Should().Be(new DateTimeOffset(2030, 1, 1, 10, 0, 0, TimeSpan.Zero));
        byTime.Before.MessageId.Should().BeNull();

        var byId = Valid("""{"conversationId":"c","before":"msg_123","limit":100}""", ChatHistoryRequest.Read);
        byId.Before!.MessageId.Should().Be("msg_123");
        byId.Limit.Should().Be(100);

        Invalid("""{"conversationId":"c","limit":101}""", ChatHistoryRequest.Read).Should().Be("limit must be between 1 and 100");
        Invalid("""{"conversationId":"c","limit":1.5}""", ChatHistoryRequest.Read).Should().Be("limit must be an integer");
    }

    [Fact]
    public void PresenceAndActivitySchemas()
    {
        Valid("""{"status":"away"}""", PresenceStatusRequest.Read).Status.Should().Be("away");
        Invalid("""{"status":"offline"}""", PresenceStatusRequest.Read).Should().Be("status must be one of away, online");
        Valid("""{"conversationId":"c","isTyping":false}""", TypingRequest.Read).IsTyping.Should().BeFalse();
        Invalid("""{"conversationId":"c","isTyping":"yes"}""", TypingRequest.Read).Should().Be("isTyping must be true or false");

        var activity = Valid("""{"activity":"viewing","metadata":{"listingId":"lst_1"}}""", ActivityRequest.Read);
        activity.ListingId.Should().Be("lst_1");
        activity.ConversationId.Should().BeNull();
        Invalid("""{"activity":"viewing","metadata":{"listingId":5}}""", ActivityRequest.Read).Should().Be("metadata.listingId must be a string");
    }

    [Fact]
    public void ListingSchemasCheckMoneyCurrencyAndTheNeedForAChange()
    {
        var listing = Valid("""{"title":"Lamp","price":19.99,"currency":"EUR","quantity":3}""", CreateListingRequest.Read);
        listing.Price.Should().Be(19.99m);
        listing.LowStockThreshold.Should().Be(5);
        Invalid("""{"title":"Lamp","price":1.23456,"currency":"EUR","quantity":3}""", CreateListingRequest.Read).Should().Be("price must have at most 4 decimals");
        Invalid("""{"title":"Lamp","price":1,"currency":"eur","quantity":3}""", CreateListingRequest.Read).Should().Contain("currency must be a three-letter upper-case currency code");
        Invalid("{}", UpdateListingRequest.Read).Should().Be("price, availability or status is required");
        Invalid("""{"status":"sold"}""", UpdateListingRequest.Read).Should().Be("status must be one of active, archived, paused");
        Valid("""{"quantity":0}""", UpdateStockRequest.Read).Quantity.Should().Be(0);
    }

    [Fact]
    public void OrderSchemas()
    {
        Invalid("""{"listingId":"l","quantity":0}""", CreateOrderRequest.Read).Should().Be("quantity must be between 1 and 10000");
        var status = Valid("""{"status":"shipped","trackingNumber":"T1","estimatedDelivery":"2030-02-01"}""", UpdateOrderStatusRequest.Read);
        status.EstimatedDelivery.Should().Be(new DateTimeOffset(2030, 2, 1, 0, 0, 0, TimeSpan.Zero));
        Invalid("""{"status":"lost"}""", UpdateOrderStatusRequest.Read).Should().StartWith("status must be one of cancelled, confirmed, delivered");
        Invalid("""{"status":"completed","amount":10,"currency":"EUR"}""", PaymentRequest.Read).Should().Be("paymentMethod is required");
        Invalid("""{"status":"teleported"}""", ShippingRequest.Read).Should().StartWith("status must be one of delivered, exception, in_transit");
    }

    [Fact]
    public void NotificationSchemaKeepsMetadataAndActionAsGiven()
    {
        var request = Valid("""{"type":"promo","title":"t","message":"m","metadata":{"a":[1,2]},"action":"open"}""", CreateNotificationRequest.Read);
        request.Priority.Should().Be("normal");
        request.UserId.Should().BeNull();
        request.Metadata!.Value.GetRawText().Should().Be("""{"a":[1,2]}""");
        request.Action!.Value.GetString().Should().Be("open");
        Invalid("""{"type":"t","title":"t","message":"m","metadata":[1]}""", CreateNotificationRequest.Read).Should().Be("metadata must be a JSON object");
        Invalid("""{"type":"t","title":"t","message":"m","priority":"asap"}""", CreateNotificationRequest.Read).Should().Be("priority must be one of high, low, normal, urgent");
    }

    [Fact]
    public void AuthPongAndSubscriptionSchemas()
    {
        Valid("""{"token":"abc"}""", AuthRequest.Read).Token.Should().Be("abc");
        Invalid("""{"token":42}""", AuthRequest.Read).Should().Be("token must be a string");
        Valid("""{"timestamp":"2030-01-01T00:00:00.123Z"}""", PongRequest.Read);
        Invalid("{}", PongRequest.Read).Should().Be("timestamp is required");
        Invalid("""{"listingId":""}""", ListingSubscriptionRequest.Read).Should().Be("listingId must not be empty");
        Invalid("""{"id":[]}""", NotificationReadRequest.Read).Should().Be("id must be a string");
    }

    [Fact]
    public void ConversationSchemaWantsDistinctIds()
    {
        Valid("""{"participantIds":["a","b","a"]}""", CreateConversationRequest.Read).ParticipantIds.Should().Equal("a", "b");
        Invalid("""{"participantIds":[]}""", CreateConversationRequest.Read).Should().Be("participantIds must have between 1 and 50 items");
        Invalid("""{"participantIds":["a",1]}""", CreateConversationRequest.Read).Should().Be("participantIds must hold non-empty strings of at most 128 characters");
    }
}
