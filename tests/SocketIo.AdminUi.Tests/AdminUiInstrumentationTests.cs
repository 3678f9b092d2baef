namespace SocketIo.AdminUi.Tests;

public sealed class AdminUiInstrumentationTests
{
    [Fact]
    public void Instrument_requires_a_login_or_an_explicit_anonymous_access()
    {
        var io = new SocketIoServer(new SocketIoOptions());

        var instrument = () => io.Instrument(new AdminUiOptions());

        instrument.Should().Throw<ArgumentException>().WithMessage("*AllowAnonymous*");
    }

    [Theory]
    [InlineData(false, AdminUiMode.Development, new[] { "EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT", "AGGREGATED_EVENTS", "ALL_EVENTS" })]
    [InlineData(false, AdminUiMode.Production, new[] { "EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT", "AGGREGATED_EVENTS" })]
    [InlineData(true, AdminUiMode.Development, new[] { "AGGREGATED_EVENTS", "ALL_EVENTS" })]
    [InlineData(true, AdminUiMode.Production, new[] { "AGGREGATED_EVENTS" })]
    public void Announces_the_npm_packages_features_for_each_mode(bool readOnly, AdminUiMode mode, string[] expected)
    {
        var io = new SocketIoServer(new SocketIoOptions());

        using var instrumentation = io.Instrument(new AdminUiOptions { AllowAnonymous = true, ReadOnly = readOnly, Mode = mode });

        instrumentation.SupportedFeatures.Should().Equal(expected);
    }

    [Fact]
    public void The_default_server_id_is_the_host_name_and_the_process_id_and_the_namespace_is_admin()
    {
        var io = new SocketIoServer(new SocketIoOptions());

        using var instrumentation = io.Instrument(o => o.AllowAnonymous = true);

        instrumentation.ServerId.Should().Be($"{Environment.MachineName}#{Environment.ProcessId}");
        instrumentation.Namespace.Name.Should().Be("/admin");
        io.Namespaces.Select(n => n.Name).Should().Contain("/admin");
    }
}
