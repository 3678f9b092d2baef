using MarketplaceEvents.Configuration;
using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Presence;

namespace MarketplaceEvents.Tests.Services;

public sealed class NotificationAndPresenceServiceTests : IAsyncLifetime
{
    private ServiceFixture _f = null!;

    public async Task InitializeAsync() => _f = await ServiceFixture.CreateAsync(new LimitsOptions { MaxUndeliveredNotifications = 2 });

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private static CreateNotificationRequest For(string? userId, string title) => new(userId, "info", title, "m", "normal", null, null, null);

    [Fact]
    public async Task EmitsToAnOnlineUserAndQueuesForAnOfflineOne()
    {
        _f.Emitter.Online.Add("on");
        await _f.NotificationService.CreateAsync(For("on", "live"));
        await _f.NotificationService.CreateAsync(For("off", "later"));

        var emitted = _f.Emitter.Of(EventNames.NotificationUser).Single();
        emitted.Target.Should().Be("users:on");
        ((UserNotificationEvent)emitted.Payload).Metadata.GetRawText().Should().Be("{}");
        (await _f.Notifications.GetUndeliveredAsync("on", 10)).Should().BeEmpty();
        (await _f.Notifications.GetUndeliveredAsync("off", 10)).Should().ContainSingle();
    }

    [Fact]
    public async Task ReplaysTheNewestUndeliveredOnceOnReconnect()
    {
        foreach (var title in new[] { "a", "b", "c" }) await _f.NotificationService.CreateAsync(For("off", title));
        var replayed = new List<UserNotificationEvent>();
        (await _f.NotificationService.ReplayAsync("off", replayed.Add)).Should().Be(2);
        replayed.Select(n => n.Title).Should().Equal("b", "c");
        (await _f.NotificationService.ReplayAsync("off", replayed.Add)).Should().Be(0);
    }

    [Fact]
    public async Task SendsSystemNotificationsToEveryone()
    {
        await _f.NotificationService.CreateAsync(For(null, "maintenance"));
        _f.Emitter.Of(EventNames.NotificationSystem).Single().Target.Should().Be("everyone");
    }

    [Fact]
    public async Task TypingReachesTheOtherParticipantsOnly()
    {
        var conversation = (await _f.ConversationService.CreateAsync(TestUsers.Buyer("a"), ["b", "c"])).Value!;
        (await _f.Presence.TypingAsync(TestUsers.Buyer("a"), new TypingRequest(conversation.Id, true))).Succeeded.Should().BeTrue();
        _f.Emitter.Of(EventNames.PresenceTyping).Single().Target.Should().Be("users:b,c");
        (await _f.Presence.TypingAsync(TestUsers.Buyer("z"), new TypingRequest(conversation.Id, true))).Error!.Code.Should().Be(ErrorCodes.NotFound);
    }

    [Fact]
    public async Task PresenceGoesToContactsAndOfflineIsSkippedForAUserBackOnline()
    {
        await _f.ConversationService.CreateAsync(TestUsers.Buyer("a"), ["b"]);
        (await _f.Registry.TryAddAsync("a", "s1", 10)).Should().Be(PresenceAdmission.CameOnline);
        await _f.Presence.CameOnlineAsync(TestUsers.Buyer("a"));
        await _f.Presence.SetStatusAsync(TestUsers.Buyer("a"), "away");
        await _f.Presence.SetStatusAsync(TestUsers.Buyer("a"), "away");
        await _f.Presence.WentOfflineAsync("a");

        var updates = _f.Emitter.Of(EventNames.PresenceUpdate);
        updates.Should().OnlyContain(u => u.Target == "users:b");
        updates.Select(u => ((PresenceUpdateEvent)u.Payload).Status).Should().Equal(["online", "away"], "a repeated status and an offline while connected are not announced");

        (await _f.Registry.RemoveAsync("a", "s1")).Should().BeTrue();
        await _f.Presence.WentOfflineAsync("a");
        var offline = (PresenceUpdateEvent)_f.Emitter.Of(EventNames.PresenceUpdate).Last().Payload;
        offline.Status.Should().Be("offline");
        offline.LastSeen.Should().NotBeNull();
    }
}
