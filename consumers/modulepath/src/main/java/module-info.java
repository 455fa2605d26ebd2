/** A user's application on the module path: it needs jgnet's one exported package. */
module io.jgnet.consumer.modulepath {
    requires io.jgnet;
}
