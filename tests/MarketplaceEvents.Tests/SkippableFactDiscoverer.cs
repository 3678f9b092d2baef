using Xunit.Abstractions;
using Xunit.Sdk;

namespace MarketplaceEvents.Tests;

/// <summary>
/// Discovers the facts of a specification written once and run by each implementation's subclass: as plain facts, or
/// as skipped ones when the subclass's class attribute names a service this machine lacks.
/// </summary>
public abstract class SkippableFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    /// <summary>Why the tests of <paramref name="testClass"/> cannot run here, or null when they can.</summary>
    protected abstract string? SkipReason(ITestClass testClass);

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        if (SkipReason(testMethod.TestClass) is { } reason)
        {
            return [new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)];
        }
        return base.Discover(discoveryOptions, testMethod, factAttribute);
    }

    /// <summary>Whether <paramref name="testClass"/> is marked with <typeparamref name="TAttribute"/>.</summary>
    protected static bool IsMarked<TAttribute>(ITestClass testClass) where TAttribute : Attribute =>
        testClass.Class.GetCustomAttributes(typeof(TAttribute)).Any();
}
