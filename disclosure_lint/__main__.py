from .launch import console

console()
