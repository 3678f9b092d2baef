using System.Text.RegularExpressions;
using EngineIo.Internal;

namespace EngineIo.Tests.Internal;

public sealed partial class SessionIdGeneratorTests
{
    [GeneratedRegex("^[A-Za-z0-9_-]{20}$")]
    private static partial Regex UrlSafeTwentyCharacters();

    [Fact]
    public void An_id_is_20_url_safe_characters()
    {
        for (var i = 0; i < 1000; i++) SessionIdGenerator.Next().Should().MatchRegex(UrlSafeTwentyCharacters());
    }

    [Fact]
    public void Ids_do_not_repeat()
    {
        var ids = Enumerable.Range(0, 100_000).Select(_ => SessionIdGenerator.Next()).ToList();
        ids.Should().OnlyHaveUniqueItems();
    }
}
