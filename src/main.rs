fn main() {
    convlab::start();
}
