namespace SocketIo.AdminUi.Tests;

public sealed class AdminUiBasicAuthenticationTests
{
    private const string Hash = "$2b$10$nu1FHRkuxkZkqID.31gz4uQsyERZAn.m4IIruysTsHDODBtrqS5Me";

    [Theory]
    [InlineData("$2a$")]
    [InlineData("$2b$")]
    [InlineData("$2y$")]
    public void Accepts_bcrypt_hashes_of_every_common_version_and_they_verify(string version)
    {
        var auth = new AdminUiBasicAuthentication("admin", version + Hash[4..]);

        BCrypt.Net.BCrypt.Verify("changeit", auth.PasswordHash).Should().BeTrue();
        BCrypt.Net.BCrypt.Verify("wrong", auth.PasswordHash).Should().BeFalse();
    }

    [Theory]
    [InlineData("changeit")]
    [InlineData("$2x$10$nu1FHRkuxkZkqID.31gz4uQsyERZAn.m4IIruysTsHDODBtrqS5Me")]
    [InlineData("$2b$10$tooShort")]
    [InlineData("$2b$99$nu1FHRkuxkZkqID.31gz4uQsyERZAn.m4IIruysTsHDODBtrqS5Me")]
    [InlineData("")]
    public void Refuses_anything_that_is_not_a_bcrypt_hash(string hash)
    {
        var create = () => new AdminUiBasicAuthentication("admin", hash);

        create.Should().Throw<ArgumentException>();
    }
}
