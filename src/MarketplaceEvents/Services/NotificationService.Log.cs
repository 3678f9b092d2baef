namespace MarketplaceEvents.Services;

internal sealed partial class NotificationService
{
    private static partial class Log
    {
        [LoggerMessage(300, LogLevel.Warning, "User {UserId} has more than {Max} undelivered notifications: the {Dropped} oldest were dropped from the replay queue.", EventName = "UndeliveredNotificationsDropped")]
        public static partial void UndeliveredDropped(ILogger logger, string userId, int dropped, int max);

        [LoggerMessage(301, LogLevel.Information, "Replayed {Count} undelivered notifications to user {UserId}.", EventName = "NotificationsReplayed")]
        public static partial void Replayed(ILogger logger, string userId, int count);
    }
}
