using SocketIo.Internal;

namespace SocketIo.Tests.Internal;

public sealed class CompactStringSetTests
{
    // Through every form: empty, one string, a small array, a hash set past the array's limit.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(40)]
    public void It_behaves_as_a_set_of_any_size(int size)
    {
        var set = new CompactStringSet();
        var names = Enumerable.Range(0, size).Select(i => "room" + i).ToArray();
        foreach (var name in names) set.Add(name).Should().BeTrue();
        foreach (var name in names) set.Add(new string(name.AsSpan())).Should().BeFalse("an equal string is already there");

        set.Count.Should().Be(size);
        Enumerate(set).Should().BeEquivalentTo(names);
        ((IEnumerable<string>)set).Should().BeEquivalentTo(names);
        foreach (var name in names) set.Contains(name).Should().BeTrue();
        set.Contains("other").Should().BeFalse();
        set.Contains("ROOM0").Should().BeFalse("names are compared ordinally");

        foreach (var name in names.Where((_, i) => i % 2 == 0)) set.Remove(name).Should().BeTrue();
        set.Remove("other").Should().BeFalse();
        var left = names.Where((_, i) => i % 2 == 1).ToArray();
        set.Count.Should().Be(left.Length);
        Enumerate(set).Should().BeEquivalentTo(left);

        foreach (var name in left) set.Remove(name).Should().BeTrue();
        set.Count.Should().Be(0);
        Enumerate(set).Should().BeEmpty();
        set.Add("again").Should().BeTrue();
        Enumerate(set).Should().Equal("again");
    }

    private static List<string> Enumerate(CompactStringSet set)
    {
        var items = new List<string>();
        foreach (var item in set) items.Add(item);
        return items;
    }
}
