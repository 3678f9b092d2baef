using System.Diagnostics.CodeAnalysis;

namespace MarketplaceEvents.Services;

/// <summary>A value, or the <see cref="MarketplaceError"/> that kept the operation from producing it.</summary>
internal readonly struct ServiceResult<T>
{
    private ServiceResult(T? value, MarketplaceError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public MarketplaceError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    public static implicit operator ServiceResult<T>(T value) => new(value, null);

    public static implicit operator ServiceResult<T>(MarketplaceError error) => new(default, error);
}
