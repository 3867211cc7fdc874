using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Folios.Analyzers.Engine;

/// <summary>
/// A value made once per compilation and shared by every rule: the one cache above the member (<see cref="MemberCache"/>
/// is the one below). The driver runs analyzers on several threads, and the first member on each thread asks at the
/// same moment: with a plain <see cref="ConditionalWeakTable{TKey, TValue}"/> each thread would make the value and all
/// but one would be thrown away. Here one thread makes it and the others wait for it.
/// </summary>
internal sealed class PerCompilation<T>
    where T : class?
{
    private readonly ConditionalWeakTable<Compilation, Lazy<T>> _values = new();
    private readonly ConditionalWeakTable<Compilation, Lazy<T>>.CreateValueCallback _makeLazily;

    public PerCompilation(Func<Compilation, T> make) => _makeLazily = compilation => new Lazy<T>(() => make(compilation));

    public T Of(Compilation compilation) => _values.GetValue(compilation, _makeLazily).Value;
}
