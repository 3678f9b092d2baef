namespace SocketIo.Tests.Readme;

/// <summary>The README's chat example is this project's ChatExample.cs: it compiles with the tests, and must stay in the README verbatim.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void TheReadmeShowsTheChatExampleThatCompiles()
    {
        var root = FindRepositoryRoot();
        var example = File.ReadAllText(Path.Combine(root, "tests", "SocketIo.Tests", "Readme", "ChatExample.cs")).ReplaceLineEndings("\n").Trim();
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");

        readme.Should().Contain(example);
    }

    [Fact]
    public void TheChatExampleBuildsAnApplication()
    {
        using var app = (IDisposable)ChatExample.ChatServer.Build(["--urls", "http://127.0.0.1:0"]);
        app.Should().NotBeNull();
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Marketplace.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Marketplace.sln not found above the test output folder.");
    }
}
