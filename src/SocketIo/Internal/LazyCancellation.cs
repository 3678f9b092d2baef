namespace SocketIo.Internal;

/// <summary>
/// A cancellation that makes its <see cref="CancellationTokenSource"/> only when someone asks for the token. Every
/// connection and socket has one, few ever hand their token out, and a source is an object per idle connection.
/// Keep it in a mutable field and call it on the field itself (it is a struct).
/// </summary>
internal struct LazyCancellation
{
    private CancellationTokenSource? _source;
    private int _cancelled;

    public bool IsCancellationRequested => Volatile.Read(ref _cancelled) == 1;

    public CancellationToken Token
    {
        get
        {
            if (IsCancellationRequested) return new CancellationToken(canceled: true);
            var source = Volatile.Read(ref _source);
            if (source is null)
            {
                var created = new CancellationTokenSource();
                source = Interlocked.CompareExchange(ref _source, created, null) ?? created;
                // Cancel() may have run after the check above and seen no source: the token must still be cancelled.
                if (IsCancellationRequested) source.Cancel();
            }
            return source.Token;
        }
    }

    /// <summary>Cancels once; later calls do nothing.</summary>
    public void Cancel()
    {
        if (Interlocked.Exchange(ref _cancelled, 1) == 1) return;
        Volatile.Read(ref _source)?.Cancel();
    }
}
