using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Ownership;

/// <summary>
/// One kind of resource the acquire/release engine follows (<see cref="OwnershipFlow"/>): how it is acquired, how it
/// is released, what counts as a use of it or of a view taken from it, what hands it to another owner, and what else
/// it depends on. A Folios mapping (<c>Map</c>/<c>Unmap</c>), a pooled array (<c>Rent</c>/<c>Return</c>) and a pool's
/// memory owner (<c>Rent</c>/<c>Dispose</c>) are kinds; the engine knows nothing else about any of them.
/// </summary>
internal abstract class ResourceKind
{
    /// <summary>Whether the call returns a fresh resource of this kind, which its caller now owns.</summary>
    public abstract bool Acquires(IInvocationOperation call);

    /// <summary>
    /// What the call does to the resource that <paramref name="tracked"/> recognises (as the call's instance or one of
    /// its arguments): nothing, or a release, which may or may not be harmless to repeat.
    /// </summary>
    public abstract Release ReleaseBy(IInvocationOperation call, Tracked tracked);

    /// <summary>Where an operation uses the resource itself (not a view of it), the operation to report; else null.</summary>
    public abstract IOperation? UseAt(IOperation node, Tracked tracked);

    /// <summary>Whether a value is a view of the resource's memory (a span, memory or slice of it) that dies with it.</summary>
    public abstract bool IsView(IOperation? value, Tracked tracked);

    /// <summary>
    /// Whether an argument that carries the resource takes its ownership out of the method: a ref or out parameter, a
    /// collection that keeps it, a constructor that wraps it, or a parameter the kind names.
    /// </summary>
    public virtual bool TakesOwnership(IArgumentOperation argument, Tracked tracked) => Transfers.IsOwnerArgument(argument);

    /// <summary>Whether a value assigned to the resource's variable is built over the held resource and carries it on (no new acquisition, nothing lost).</summary>
    public virtual bool CarriesOn(IOperation value, Tracked tracked) => false;

    /// <summary>
    /// Whether a view of the resource, returned, stored in a field or handed to an owner, takes the resource along: a
    /// read's buffer is the read; a <c>Memory&lt;T&gt;</c> of a rented array leads back to the array, a span does not.
    /// </summary>
    public virtual bool ViewCarriesOwnership(IOperation view) => false;

    /// <summary>Whether a release gives the resource to another owner than every acquisition it may come from (another pool).</summary>
    public virtual bool IsAnotherOwner(IInvocationOperation release, Tracked tracked) => false;

    /// <summary>
    /// Where an acquisition delivers the resource: null for its result (<c>var a = pool.Rent(n)</c>), or the argument of
    /// an out parameter (<c>reader.TryRead(out var result)</c>, which acquires only when it returns true).
    /// </summary>
    public virtual IArgumentOperation? DeliveredThrough(IInvocationOperation acquisition) => null;

    /// <summary>Whether a new acquisition comes from the same source as the held one, which the source does not allow (a second read before the first is advanced).</summary>
    public virtual bool SameSource(IInvocationOperation acquisition, Tracked tracked) => false;

    /// <summary>What a condition that holds (or fails) proves about the resource, beyond a null test; null: nothing.</summary>
    public virtual bool? HeldWhen(IOperation condition, bool holds, Tracked tracked) => null;

    /// <summary>
    /// Whether a condition that holds (or fails) shows the resource's owner giving it up (a canceled or completed read:
    /// whoever ends the reader's use completes it): leaving with it from there is a latent leak, which a rule reports
    /// only on request; acquiring again from the same source is still a misuse.
    /// </summary>
    public virtual bool GivenUpWhen(IOperation condition, bool holds, Tracked tracked) => false;

    /// <summary>The variables the resource depends on (what a mapping maps): freeing one while it is held is a misuse.</summary>
    public virtual IEnumerable<ISymbol> DependsOn(IInvocationOperation acquisition) => [];

    /// <summary>Whether an operation frees one of <paramref name="dependencies"/>.</summary>
    public virtual bool Frees(IOperation node, ICollection<ISymbol> dependencies) => false;

    /// <summary>
    /// Whether the operation may affect the resource without naming it or a view of it: a free of what it depends on,
    /// a release or a new acquisition through its source. Most operations of a body do not.
    /// </summary>
    public virtual bool MayAffect(IOperation node) => false;

    /// <summary>
    /// Whether the acquisition is released by a shape the tree proves (a using, a try/finally, a release at the end of a
    /// block nothing jumps out of) with every use inside it, so that no graph is needed; a shape that releases only on
    /// normal paths counts where <paramref name="exceptionLeaksReported"/> is false. <paramref name="release"/> is the
    /// explicit release that shape ends with, if any.
    /// </summary>
    public virtual bool ReleasedByStructure(IInvocationOperation acquisition, IOperation[] listing, bool exceptionLeaksReported, out IInvocationOperation? release)
    {
        release = null;
        return false;
    }

    /// <summary>Whether the body releases or frees nothing but <paramref name="releases"/> (when every acquisition is released by structure).</summary>
    public virtual bool ReleasesNothingElse(IOperation[] listing, List<IInvocationOperation> releases) => true;

    public enum Release
    {
        None,

        /// <summary>Releases the resource; releasing it again is a misuse (a second Unmap or Return).</summary>
        Once,

        /// <summary>Releases the resource, and does nothing when it is released already (Dispose after Unmap).</summary>
        Idempotent,

        /// <summary>
        /// Releases the resource but leaves its memory as it was (an advance that consumes nothing), harmless to repeat: a
        /// use after it breaks the contract, yet no implementation frees anything there, so it is a latent misuse.
        /// </summary>
        KeepingMemory,
    }
}
