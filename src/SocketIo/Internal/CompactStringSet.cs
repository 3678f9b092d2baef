using System.Collections;

namespace SocketIo.Internal;

/// <summary>
/// A set of strings (ordinal) that costs nothing beyond itself while it holds one string, a small array while it
/// holds a few, and a <see cref="HashSet{T}"/> only past <see cref="ArrayLimit"/>. The in-memory adapter keeps two
/// per socket (the socket's rooms, and the room named after it), and most of those hold one or two names: a hash set
/// each was about 400 bytes per idle connection. A mutable struct: keep it in a field or a dictionary slot and
/// change it through a reference.
/// </summary>
internal struct CompactStringSet : IEnumerable<string>
{
    private const int ArrayLimit = 8;

    // null, a string, a string[] (the first _count slots used) or a HashSet<string>.
    private object? _items;
    private int _count;

    public readonly int Count => _items switch
    {
        null => 0,
        string => 1,
        string[] => _count,
        _ => ((HashSet<string>)_items).Count,
    };

    public readonly bool Contains(string value) => _items switch
    {
        null => false,
        string single => string.Equals(single, value, StringComparison.Ordinal),
        string[] array => IndexOf(array, _count, value) >= 0,
        _ => ((HashSet<string>)_items).Contains(value),
    };

    public bool Add(string value)
    {
        switch (_items)
        {
            case null:
                _items = value;
                return true;
            case string single:
                if (string.Equals(single, value, StringComparison.Ordinal)) return false;
                _items = new[] { single, value, null!, null! };
                _count = 2;
                return true;
            case string[] array:
                if (IndexOf(array, _count, value) >= 0) return false;
                if (_count == ArrayLimit)
                {
                    _items = new HashSet<string>(array, StringComparer.Ordinal) { value };
                    _count = 0;
                    return true;
                }
                if (_count == array.Length)
                {
                    Array.Resize(ref array, ArrayLimit);
                    _items = array;
                }
                array[_count++] = value;
                return true;
            default:
                return ((HashSet<string>)_items).Add(value);
        }
    }

    public bool Remove(string value)
    {
        switch (_items)
        {
            case string single when string.Equals(single, value, StringComparison.Ordinal):
                _items = null;
                return true;
            case string[] array:
                var index = IndexOf(array, _count, value);
                if (index < 0) return false;
                // Order does not matter in a set: the last name fills the hole.
                array[index] = array[--_count];
                array[_count] = null!;
                if (_count == 1)
                {
                    _items = array[0];
                    _count = 0;
                }
                return true;
            case HashSet<string> set:
                return set.Remove(value);
            default:
                return false;
        }
    }

    public readonly Enumerator GetEnumerator() => new(_items, _count);

    readonly IEnumerator<string> IEnumerable<string>.GetEnumerator() => GetEnumeratorBoxed();

    readonly IEnumerator IEnumerable.GetEnumerator() => GetEnumeratorBoxed();

    private readonly IEnumerator<string> GetEnumeratorBoxed() => _items switch
    {
        null => Enumerable.Empty<string>().GetEnumerator(),
        string single => ((IEnumerable<string>)[single]).GetEnumerator(),
        string[] array => array.Take(_count).GetEnumerator(),
        _ => ((HashSet<string>)_items).GetEnumerator(),
    };

    private static int IndexOf(string[] array, int count, string value)
    {
        for (var i = 0; i < count; i++)
        {
            if (string.Equals(array[i], value, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    /// <summary>Enumerates without allocating, whatever the set's current form.</summary>
    public struct Enumerator
    {
        private readonly object? _items;
        private readonly int _count;
        private int _index;
        private HashSet<string>.Enumerator _set;

        internal Enumerator(object? items, int count)
        {
            _items = items;
            _count = count;
            _index = -1;
            Current = null!;
            _set = items is HashSet<string> set ? set.GetEnumerator() : default;
        }

        public string Current { get; private set; }

        public bool MoveNext()
        {
            switch (_items)
            {
                case string single when _index < 0:
                    _index = 0;
                    Current = single;
                    return true;
                case string[] array when _index + 1 < _count:
                    Current = array[++_index];
                    return true;
                case HashSet<string>:
                    if (!_set.MoveNext()) return false;
                    Current = _set.Current;
                    return true;
                default:
                    return false;
            }
        }
    }
}
