using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Tests.Services;

public sealed class ChatServiceTests : IAsyncLifetime
{
    private ServiceFixture _f = null!;
    private string _conversationId = null!;
    private readonly UserIdentity _buyer = TestUsers.Buyer();
    private readonly UserIdentity _provider = TestUsers.Provider();

    public async Task InitializeAsync()
    {
        _f = await ServiceFixture.CreateAsync();
        var created = await _f.ConversationService.CreateAsync(_buyer, [_provider.Id]);
        _conversationId = created.Value!.Id;
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private ChatSendRequest Send(string content, string? clientId = null, string? conversationId = null) =>
        new(conversationId ?? _conversationId, content, [], clientId);

    [Fact]
    public async Task CreatingAConversationTellsEveryParticipantWithTheirProfiles()
    {
        var update = _f.Emitter.Of(EventNames.ChatConversationUpdate).Single();
        update.Target.Should().Be($"users:{_buyer.Id},{_provider.Id}");
        var payload = (ConversationUpdateEvent)update.Payload;
        payload.Type.Should().Be("new");
        payload.Participants.Should().Equal(new ParticipantPayload(_buyer.Id, _buyer.Name, null), new ParticipantPayload(_provider.Id, null, null));
        (await _f.ConversationService.CreateAsync(_buyer, [_buyer.Id])).Error!.Code.Should().Be(ErrorCodes.InvalidPayload);
    }

    [Fact]
    public async Task StoresAMessageBeforeEmittingItToEveryParticipant()
    {
        var result = await _f.Chat.SendAsync(_buyer, Send("hello"));

        result.Succeeded.Should().BeTrue();
        var emitted = _f.Emitter.Of(EventNames.ChatMessage).Single();
        emitted.Target.Should().Be($"users:{_buyer.Id},{_provider.Id}");
        emitted.Payload.Should().Be(result.Value);
        (await _f.Messages.GetAsync(result.Value!.Id)).Should().NotBeNull();
        result.Value.Sender.Should().Be(new ParticipantPayload(_buyer.Id, _buyer.Name, null));
        result.Value.Timestamp.Should().Be(Timestamps.ToIso(_f.Time.GetUtcNow()));
    }

    [Fact]
    public async Task ARetryWithTheSameClientMessageIdIsAnsweredButNotDeliveredAgain()
    {
        var first = await _f.Chat.SendAsync(_buyer, Send("once", "k1"));
        _f.Time.Advance(TimeSpan.FromSeconds(5));
        var retry = await _f.Chat.SendAsync(_buyer, Send("once", "k1"));
        retry.Value.Should().BeEquivalentTo(first.Value);
        _f.Emitter.Of(EventNames.ChatMessage).Should().ContainSingle();
    }

    [Fact]
    public async Task RefusesSendersOutsideTheConversationAsIfItDidNotExist()
    {
        var stranger = await _f.Chat.SendAsync(TestUsers.Buyer("stranger"), Send("hi"));
        var missing = await _f.Chat.SendAsync(_buyer, Send("hi", conversationId: "conv_missing"));
        stranger.Error.Should().Be(missing.Error);
        stranger.Error!.Code.Should().Be(ErrorCodes.NotFound);
        _f.Emitter.Of(EventNames.ChatMessage).Should().BeEmpty();
    }

    [Fact]
    public async Task PagesHistoryAndSaysWhetherMoreIsLeft()
    {
        for (var i = 1; i <= 3; i++) await _f.Chat.SendAsync(_buyer, Send("m" + i));
        var page = await _f.Chat.HistoryAsync(_provider, new ChatHistoryRequest(_conversationId, 2, null));
        page.Value!.Messages.Select(m => m.Content).Should().Equal("m3", "m2");
        page.Value.HasMore.Should().BeTrue();
        var rest = await _f.Chat.HistoryAsync(_provider, new ChatHistoryRequest(_conversationId, 2, new MarketplaceEvents.Storage.HistoryCursor(page.Value.Messages[1].Id, null)));
        rest.Value!.Messages.Select(m => m.Content).Should().Equal("m1");
        rest.Value.HasMore.Should().BeFalse();
    }

    [Fact]
    public async Task TellsTheSenderOfAStatusStepForwardOnly()
    {
        var sent = await _f.Chat.SendAsync(_buyer, Send("status"));
        var id = sent.Value!.Id;
        (await _f.Chat.UpdateStatusAsync(_provider, new ChatStatusRequest(id, _conversationId, MessageStatus.Read))).Succeeded.Should().BeTrue();
        (await _f.Chat.UpdateStatusAsync(_provider, new ChatStatusRequest(id, _conversationId, MessageStatus.Delivered))).Succeeded.Should().BeTrue();
        var statuses = _f.Emitter.Of(EventNames.ChatStatus);
        statuses.Should().ContainSingle().Which.Target.Should().Be($"users:{_buyer.Id}");
        ((ChatStatusEvent)statuses[0].Payload).Status.Should().Be(MessageStatus.Read);

        (await _f.Chat.UpdateStatusAsync(_buyer, new ChatStatusRequest(id, _conversationId, MessageStatus.Read))).Error!.Code.Should().Be(ErrorCodes.Forbidden);
        (await _f.Chat.UpdateStatusAsync(_provider, new ChatStatusRequest(id, "conv_other", MessageStatus.Read))).Error!.Code.Should().Be(ErrorCodes.NotFound);
    }

    [Fact]
    public async Task ArchivingAndDeletingTellTheParticipantsWithTheLastMessage()
    {
        var last = await _f.Chat.SendAsync(_buyer, Send("bye"));
        (await _f.ConversationService.CloseAsync(TestUsers.Buyer("stranger"), _conversationId, ConversationStatus.Archived)).Error!.Code.Should().Be(ErrorCodes.Forbidden);
        (await _f.ConversationService.CloseAsync(_provider, _conversationId, ConversationStatus.Archived)).Value!.Status.Should().Be("archived");
        (await _f.ConversationService.CloseAsync(TestUsers.Admin(), _conversationId, ConversationStatus.Deleted)).Succeeded.Should().BeTrue();

        var updates = _f.Emitter.Of(EventNames.ChatConversationUpdate).Skip(1).Select(e => (ConversationUpdateEvent)e.Payload).ToArray();
        updates.Select(u => u.Type).Should().Equal("archived", "deleted");
        updates.Should().OnlyContain(u => u.LastMessage == last.Value);
        (await _f.ConversationService.CloseAsync(_buyer, _conversationId, ConversationStatus.Archived)).Error!.Code.Should().Be(ErrorCodes.NotFound);
    }
}
