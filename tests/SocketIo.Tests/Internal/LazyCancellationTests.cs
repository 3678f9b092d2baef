using SocketIo.Internal;

namespace SocketIo.Tests.Internal;

public sealed class LazyCancellationTests
{
    [Fact]
    public void A_token_taken_before_the_cancel_is_cancelled_by_it()
    {
        var cancellation = new LazyCancellation();
        var token = cancellation.Token;
        var called = 0;
        token.Register(() => called++);

        token.IsCancellationRequested.Should().BeFalse();
        cancellation.Cancel();
        cancellation.Cancel();

        token.IsCancellationRequested.Should().BeTrue();
        called.Should().Be(1);
        cancellation.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public void A_token_taken_after_the_cancel_is_already_cancelled()
    {
        var cancellation = new LazyCancellation();
        cancellation.Cancel();
        cancellation.Token.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public void Tokens_taken_while_another_thread_cancels_all_end_up_cancelled()
    {
        // Dedicated threads, not pool tasks: the barrier blocks them, and the pool of a 2-core machine is small.
        for (var round = 0; round < 100; round++)
        {
            var cancellation = new LazyCancellation();
            var tokens = new CancellationToken[3];
            using var start = new Barrier(4);
            var takers = Enumerable.Range(0, 3).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                tokens[i] = cancellation.Token;
            })).ToArray();
            foreach (var taker in takers) taker.Start();
            start.SignalAndWait();
            cancellation.Cancel();
            foreach (var taker in takers) taker.Join();
            tokens.Should().OnlyContain(token => token.IsCancellationRequested);
        }
    }
}
