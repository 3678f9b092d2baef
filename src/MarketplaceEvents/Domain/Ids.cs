using System.Security.Cryptography;

namespace MarketplaceEvents.Domain;

/// <summary>Resource ids: a readable prefix naming the kind and 80 random bits, e.g. <c>msg_3f9c0a…</c>.</summary>
internal static class Ids
{
    public const string Conversation = "conv";
    public const string Message = "msg";
    public const string Listing = "lst";
    public const string Order = "ord";
    public const string Payment = "pay";
    public const string Shipment = "shp";
    public const string Notification = "ntf";

    public static string New(string prefix) => prefix + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
}
