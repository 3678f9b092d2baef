using System.Text;
using System.Text.Json;

namespace MarketplaceEvents.Realtime.PlainApis;

/// <summary>An edit as a client sends it: made on <see cref="Version"/> of the text.</summary>
internal readonly record struct Edit(string Operation, int Position, string Content, int Version)
{
    public static bool TryRead(JsonElement payload, out Edit edit)
    {
        edit = default;
        if (payload.ValueKind != JsonValueKind.Object) return false;
        if (!payload.TryGetProperty("operation", out var op) || op.GetString() is not ("insert" or "delete") || !payload.TryGetProperty("position", out var p) || !p.TryGetInt32(out var position)
            || !payload.TryGetProperty("version", out var v) || !v.TryGetInt32(out var version) || position < 0 || version < 0)
            return false;
        var content = payload.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
        if (content.Length == 0 || content.Length > 10_000) return false;
        edit = new Edit(op.GetString()!, position, content, version);
        return true;
    }
}

/// <summary>An applied edit, as broadcast: its position after transformation and the version it made.</summary>
internal sealed record AppliedEdit(string Operation, int Position, string Content, int Version, string UserId);

/// <summary>
/// The shared text of one collaboration session and its applied edits. An edit made on an older version is
/// transformed against every edit applied since (insert before it: shifted right; delete before it: shifted left;
/// an insert at the same position applied first stays first), so clients applying the broadcast edits in version
/// order all reach the same text. Not thread-safe: the caller holds the session's lock.
/// </summary>
internal sealed class CollaborationSession
{
    // Enough history to transform edits made on a version this old; older ones are rebased onto the oldest kept.
    private const int MaxHistory = 1000;

    private readonly StringBuilder _text = new();
    private readonly List<AppliedEdit> _history = [];

    public string Text => _text.ToString();

    public int Version { get; private set; }

    public AppliedEdit Apply(Edit edit, string userId)
    {
        var position = edit.Position;
        var length = edit.Content.Length;
        var firstKept = Version - _history.Count;
        foreach (var applied in _history.Skip(Math.Max(0, edit.Version - firstKept)))
        {
            if (applied.Operation == "insert")
            {
                if (applied.Position <= position) position += applied.Content.Length;
            }
            else
            {
                var end = applied.Position + applied.Content.Length;
                if (end <= position) position -= applied.Content.Length;
                else if (applied.Position < position) position = applied.Position;
            }
        }
        position = Math.Clamp(position, 0, _text.Length);
        string content;
        if (edit.Operation == "insert")
        {
            content = edit.Content;
            _text.Insert(position, content);
        }
        else
        {
            length = Math.Min(length, _text.Length - position);
            content = _text.ToString(position, length);
            _text.Remove(position, length);
        }
        Version++;
        var result = new AppliedEdit(edit.Operation, position, content, Version, userId);
        _history.Add(result);
        if (_history.Count > MaxHistory) _history.RemoveAt(0);
        return result;
    }
}
